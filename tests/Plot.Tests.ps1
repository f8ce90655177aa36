# Pester 5 tests for Export-Plot, Show-Plot and Start-Training -Plot: what users type. Rendering
# internals (pixels along the curve, cell colours, determinism) are xunit: tests/BackpropModule.Plotting.Tests.
BeforeDiscovery {
    $kinds = @(
        @{ Kind = 'TrainingCurves'; Make = { $script:history } }
        @{ Kind = 'Heatmap'; Make = { $script:spiralNet.Parameters[0].Value } }
        @{ Kind = 'ParameterHeatmaps'; Make = { $script:spiralNet }; Force = $true }
        @{ Kind = 'RegressionFit'; Make = { $script:sineNet }; Data = 'sine' }
        @{ Kind = 'DecisionRegions'; Make = { $script:spiralNet }; Data = 'spiral' }
        @{ Kind = 'WeightTiles'; Make = { New-Network -LayerSizes 784, 9, 10 -Seed 1 }; Force = $true }
        @{ Kind = 'ConfusionMatrix'; Make = { $script:spiralNet | Test-Network -Data $script:spiral } }
        @{ Kind = 'NetworkDiagram'; Make = { $script:spiralNet } }
    )
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    $script:sine = New-Dataset -Kind Sine
    $script:spiral = New-Dataset -Kind Spiral -Count 20 -Seed 1
    $script:sineNet = New-Network -LayerSizes 1, 3, 1 -Activation Sigmoid -Output Identity -WeightInit Normal -WeightScale 1 -Seed 3
    $script:spiralNet = New-Network -LayerSizes 2, 8, 3 -Activation ReLU -Output Softmax -Seed 1
    $script:history = New-Network -LayerSizes 2, 8, 3 -Seed 2 |
        Start-Training -TrainingData $script:spiral -ValidationData $script:spiral -Epochs 5 -Seed 1

    function Get-PngSize([string] $Path) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $signature = [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        for ($i = 0; $i -lt 8; $i++) { if ($bytes[$i] -ne $signature[$i]) { throw "$Path is not a PNG file" } }
        # IHDR: width and height, big-endian, at bytes 16..23.
        [pscustomobject]@{
            Width  = ([int]$bytes[16] -shl 24) -bor ([int]$bytes[17] -shl 16) -bor ([int]$bytes[18] -shl 8) -bor [int]$bytes[19]
            Height = ([int]$bytes[20] -shl 24) -bor ([int]$bytes[21] -shl 16) -bor ([int]$bytes[22] -shl 8) -bor [int]$bytes[23]
        }
    }
}

Describe 'Export-Plot of many parameters' {
    It 'gives each block of a BatchNorm network a row and sizes the picture to fit, unless a size is given' {
        $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
        try {
            $net = New-Network 2, 6, 4, 3 -BatchNorm -Dropout 0.1 -Seed 1
            $auto = [System.IO.Path]::Combine($folder, 'auto.png')
            ($net | Export-Plot -Path $auto -Kind ParameterHeatmaps -PassThru).Contents | Should -BeLike '*(ParameterHeatmaps, 1500x640)*'
            (Get-PngSize $auto).Width | Should -Be 1500
            $given = [System.IO.Path]::Combine($folder, 'given.png')
            $net | Export-Plot -Path $given -Kind ParameterHeatmaps -Width 900
            (Get-PngSize $given).Width | Should -Be 900
            (Get-PngSize $given).Height | Should -Be 600
        }
        finally { [System.IO.Directory]::Delete($folder, $true) }
    }
}

Describe 'Export-Plot' {
    BeforeEach {
        $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
    }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    Context 'Given input for a <Kind> picture' -ForEach $kinds {
        BeforeEach {
            $subject = & $Make
            $splat = @{}
            if ($Force) { $splat.Kind = $Kind }
            if ($Data) { $splat.Data = $(if ($Data -eq 'sine') { $sine } else { $spiral }) }
        }

        It 'chooses <Kind> and writes a PNG of the requested size' {
            $path = [System.IO.Path]::Combine($folder, 'p.png')
            $saved = $subject | Export-Plot -Path $path -Width 500 -Height 350 -PassThru @splat
            $saved.Contents | Should -BeLike "*($Kind, 500x350)*"
            $size = Get-PngSize $path
            $size.Width | Should -Be 500
            $size.Height | Should -Be 350
        }

        It 'writes an SVG with text in it' {
            $path = [System.IO.Path]::Combine($folder, 'p.svg')
            $subject | Export-Plot -Path $path @splat
            $svg = [xml][System.IO.File]::ReadAllText($path)
            $svg.DocumentElement.LocalName | Should -Be 'svg'
            $svg.DocumentElement.width | Should -Be '800'
            $svg.GetElementsByTagName('text').Count | Should -BeGreaterThan 2
        }

        It 'gives the same file for the same input' {
            $a = [System.IO.Path]::Combine($folder, 'a.png')
            $b = [System.IO.Path]::Combine($folder, 'b.png')
            $subject | Export-Plot -Path $a @splat
            $subject | Export-Plot -Path $b @splat
            (Get-FileHash $a).Hash | Should -Be (Get-FileHash $b).Hash
        }
    }

    Context 'Given the same network piped after each chunk of training' {
        It 'overlays one curve per snapshot, labelled with the epochs trained' {
            $net = New-Network -LayerSizes 1, 3, 1 -Activation Sigmoid -Output Identity -WeightInit Normal -WeightScale 0.5 -Seed 2
            $path = [System.IO.Path]::Combine($folder, 'sine.svg')
            & {
                $net
                $null = $net | Start-Training -TrainingData $sine -Epochs 3 -BatchSize 1 -NoShuffle
                $net
                $null = $net | Start-Training -TrainingData $sine -Epochs 2 -BatchSize 1 -NoShuffle -Resume
                $net
            } | Export-Plot -Path $path -Data $sine
            $text = [System.IO.File]::ReadAllText($path)
            foreach ($label in 'untrained', 'epoch 3', 'epoch 5') { $text | Should -Match ">\s*$label\s*<" }
        }
    }

    Context 'Given bad input' {
        It 'refuses empty records and writes nothing' {
            $path = [System.IO.Path]::Combine($folder, 'x.png')
            { [pscustomobject]@{ Epoch = 1 } | Export-Plot -Path $path } | Should -Throw -ErrorId 'PlotInputEmpty,*'
            [System.IO.File]::Exists($path) | Should -BeFalse
        }

        It 'refuses decision regions of a 3-input network and writes nothing' {
            $path = [System.IO.Path]::Combine($folder, 'x.png')
            $three = [BackpropModule.Engine.Data.Dataset]::new('three', [double[]](1, 2, 3, 4, 5, 6), 3, [double[]](1, 0, 0, 1), 2, [int[]](0, 1), $null)
            $net = New-Network -LayerSizes 3, 4, 2 -Seed 1
            { $net | Export-Plot -Path $path -Data $three -Kind DecisionRegions } | Should -Throw -ErrorId 'PlotKindMismatch,*'
            [System.IO.File]::Exists($path) | Should -BeFalse
        }

        It 'refuses an unwritable path and leaves nothing behind' {
            $path = [System.IO.Path]::Combine($folder, 'no-such-folder', 'x.png')
            { $history | Export-Plot -Path $path } | Should -Throw -ErrorId 'OutputFileWriteFailed,*'
            @(Get-ChildItem -Path $folder -Recurse -Force).Count | Should -Be 0
        }

        It 'refuses an extension that is not .png or .svg' {
            { $history | Export-Plot -Path ([System.IO.Path]::Combine($folder, 'x.jpg')) } | Should -Throw -ErrorId 'PlotFormatUnsupported,*'
        }

        It 'reports an object it cannot draw and draws the rest' {
            $path = [System.IO.Path]::Combine($folder, 'x.png')
            @('text', $history[0], $history[1]) | Export-Plot -Path $path -ErrorVariable bad -ErrorAction SilentlyContinue
            $bad[0].FullyQualifiedErrorId | Should -BeLike 'PlotInputUnsupported,*'
            [System.IO.File]::Exists($path) | Should -BeTrue
        }
    }

    Context 'Given a read-only picture' {
        It 'is replaced only with -Force' {
            $path = [System.IO.Path]::Combine($folder, 'ro.png')
            [System.IO.File]::WriteAllText($path, 'old')
            [System.IO.File]::SetAttributes($path, [System.IO.FileAttributes]::ReadOnly)
            { $history | Export-Plot -Path $path } | Should -Throw -ErrorId 'OutputFileReadOnly,*'
            [System.IO.File]::ReadAllText($path) | Should -Be 'old'
            $history | Export-Plot -Path $path -Force
            (Get-PngSize $path).Width | Should -Be 800
            [System.IO.File]::SetAttributes($path, [System.IO.FileAttributes]::Normal)
        }
    }

    Context 'Given -WhatIf' {
        It 'writes nothing' {
            $path = [System.IO.Path]::Combine($folder, 'x.png')
            $history | Export-Plot -Path $path -WhatIf
            [System.IO.File]::Exists($path) | Should -BeFalse
        }
    }
}

Describe 'Show-Plot' {
    Context 'Given training records' {
        It 'draws the loss as braille text no wider than -Width' {
            $text = $history | Show-Plot -Width 60 -Height 8 -NoColor
            $lines = $text -split "`r?`n"
            $lines[0] | Should -Be 'Loss per epoch'
            ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 60
            $text | Should -Match '[\u2801-\u28FF]'
            $text | Should -Match 'training loss'
            $text | Should -Match 'validation loss'
        }
    }

    Context 'Given a 1-input network and -Data' {
        It 'draws the data and the curve' {
            $text = $sineNet | Show-Plot -Data $sine -Width 50 -NoColor
            $text | Should -Match 'untrained'
            $text | Should -Match 'input x'
        }
    }

    Context 'Given nothing drawable' {
        It 'says so' {
            { [pscustomobject]@{ Epoch = 1 } | Show-Plot } | Should -Throw -ErrorId 'PlotInputEmpty,*'
        }
    }
}

Describe 'Start-Training -Plot' {
    It 'draws the loss chart and still writes every record' {
        $net = New-Network -LayerSizes 2, 4, 3 -Seed 1
        $records = $net | Start-Training -TrainingData $spiral -Epochs 3 -Seed 1 -Plot 6>&1
        @($records | Where-Object { $_ -is [BackpropModule.Engine.Training.EpochRecord] }).Count | Should -Be 3
    }
}
