# Pester 5: networks with BatchNorm and Dropout through the files and pictures, as users type it:
# Save-Network / Import-Network (and resuming), Export-NetworkOnnx, Export-Workbook, Export-Plot.
# The file format's rules and hostile files are xunit (Persist/LayeredNetworkFileTests.cs); ONNX Runtime
# comparisons are xunit too (Persist/LayeredOnnxExportTests.cs).
BeforeDiscovery {
    $pictures = @(
        @{ Kind = 'NetworkDiagram' }
        @{ Kind = 'ParameterHeatmaps' }
        @{ Kind = 'DecisionRegions' }
    )
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    $script:data = New-Dataset -Kind Spiral -Count 40 -Seed 1
    function New-Folder {
        [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
    }
    function Get-SheetNames($Path) {
        $doc = [DocumentFormat.OpenXml.Packaging.SpreadsheetDocument]::Open($Path, $false)
        try { $doc.WorkbookPart.Workbook.Sheets.ChildElements | ForEach-Object { $_.Name.Value } } finally { $doc.Dispose() }
    }
}

Describe 'Save-Network and Import-Network' {
    BeforeEach { $folder = New-Folder }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    Context 'Given New-Network 4,8,3 -BatchNorm -Dropout 0.2' {
        It 'imports the same network with the same predictions' {
            $net = New-Network 4, 8, 3 -BatchNorm -Dropout 0.2 -Seed 7
            $path = Join-Path $folder 'bn.json'
            $net | Save-Network -Path $path
            $back = Import-Network -Path $path
            $back.Architecture | Should -Be $net.Architecture
            $back.Chain | Should -Be $net.Chain
            $back.Parameters.Name | Should -Be 'W1', 'b1', 'gamma1', 'beta1', 'W2', 'b2'
            $x = @(, @(1, 2, 3, 4)) + @(, @(0, -1, 0.5, 2)) + @(, @(3, 3, -3, 0))
            $expected = ($net | Invoke-Forward -InputObject $x -Inference).Output
            $actual = ($back | Invoke-Forward -InputObject $x -Inference).Output
            $actual.BitwiseEquals($expected) | Should -BeTrue
        }

        It 'reports format version 3 with -PassThru' {
            $saved = New-Network 4, 8, 3 -BatchNorm -Dropout 0.2 -Seed 7 | Save-Network -Path (Join-Path $folder 'bn.json') -PassThru
            $saved.Format | Should -Be 'BackpropModule.Network v3'
            (New-Network 4, 8, 3 -Seed 7 | Save-Network -Path (Join-Path $folder 'plain.json') -PassThru).Format | Should -Be 'BackpropModule.Network v2'
        }
    }

    Context 'Given a trained network with BatchNorm and Dropout' {
        It 'keeps the running statistics and a training pass with the same -Seed' {
            $net = New-Network 2, 16, 8, 3 -BatchNorm -Dropout 0.3 -Seed 2
            $null = $net | Start-Training $data -Epochs 3 -Optimizer Adam -Seed 4
            $path = Join-Path $folder 'trained.json'
            $net | Save-Network -Path $path
            $back = Import-Network -Path $path
            for ($k = 0; $k -lt 2; $k++) {
                $back.BatchNorm[$k].RunningMean.BitwiseEquals($net.BatchNorm[$k].RunningMean) | Should -BeTrue
                $back.BatchNorm[$k].RunningVariance.BitwiseEquals($net.BatchNorm[$k].RunningVariance) | Should -BeTrue
            }
            $a = $net | Invoke-Forward $data -Seed 11
            $b = $back | Invoke-Forward $data -Seed 11
            $b.Output.BitwiseEquals($a.Output) | Should -BeTrue
            $b.Loss | Should -Be $a.Loss
        }

        It 'resumes after Import-Network exactly as an uninterrupted run' {
            $whole = New-Network 2, 16, 8, 3 -BatchNorm -Dropout 0.3 -Seed 2
            $null = $whole | Start-Training $data -Epochs 4 -Optimizer Adam -Seed 4
            $first = New-Network 2, 16, 8, 3 -BatchNorm -Dropout 0.3 -Seed 2
            $null = $first | Start-Training $data -Epochs 2 -Optimizer Adam -Seed 4
            $path = Join-Path $folder 'half.json'
            $first | Save-Network -Path $path
            $resumed = Import-Network -Path $path
            $null = $resumed | Start-Training $data -Epochs 2 -Resume
            for ($i = 0; $i -lt $whole.Parameters.Count; $i++) {
                $resumed.Parameters[$i].Value.BitwiseEquals($whole.Parameters[$i].Value) | Should -BeTrue -Because $whole.Parameters[$i].Name
            }
            $resumed.BatchNorm[1].RunningVariance.BitwiseEquals($whole.BatchNorm[1].RunningVariance) | Should -BeTrue
        }
    }

    Context 'Given a file whose dropout rate was edited to 1 and its checksum recomputed' {
        It 'refuses it with NetworkFileInvalid' {
            $path = Join-Path $folder 'edited.json'
            New-Network 4, 8, 3 -Dropout 0.2 -Seed 1 | Save-Network -Path $path
            # The netstandard2.0 build writes 0.2 as 0.20000000000000001 (17 digits), so the whole number is replaced.
            $text = [System.IO.File]::ReadAllText($path) -replace '"dropout": [0-9.]+', '"dropout": 1'
            # A careful hostile writer: the payload's SHA-256 (from its '{' to its '}') matches again.
            $start = $text.IndexOf('"payload": ') + 11
            $payload = $text.Substring($start, $text.LastIndexOf('}') - $start).TrimEnd()
            $hash = (Get-FileHash -InputStream ([System.IO.MemoryStream]::new([System.Text.Encoding]::UTF8.GetBytes($payload))) -Algorithm SHA256).Hash.ToLowerInvariant()
            [System.IO.File]::WriteAllText($path, ($text -replace '"sha256": "[0-9a-f]{64}"', "`"sha256`": `"$hash`""))
            { Import-Network -Path $path } | Should -Throw -ErrorId 'NetworkFileInvalid,*'
            { Import-Network -Path $path } | Should -Throw '*.dropout is 1; a dropout rate is in*'
        }
    }
}

Describe 'Export-NetworkOnnx' {
    BeforeEach { $folder = New-Folder }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    Context 'Given a network with BatchNorm and Dropout' {
        It 'writes a model with a BatchNormalization node per BatchNorm and no Dropout node (<_>)' -ForEach 'Double', 'Single' {
            $net = New-Network 4, 8, 6, 3 -BatchNorm -Dropout 0.2 -Seed 3
            $path = Join-Path $folder "m-$_.onnx"
            $saved = $net | Export-NetworkOnnx -Path $path -Precision $_ -PassThru
            $saved.Length | Should -BeGreaterThan 0
            $text = [System.Text.Encoding]::ASCII.GetString([System.IO.File]::ReadAllBytes($path))
            ([regex]::Matches($text, 'BatchNormalization\d')).Count | Should -Be 2
            $text | Should -Match 'RunningVariance2'
            # 'Dropout' appears only where the architecture is quoted (graph name and doc string).
            ([regex]::Matches($text, 'Dropout')).Count | Should -Be 2
        }
    }
}

Describe 'Export-Workbook' {
    BeforeEach { $folder = New-Folder }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    Context 'Given a network, a training pass and its gradients with BatchNorm and Dropout' {
        It 'writes gamma, beta, running statistics, the trace and the gradients as sheets' {
            $net = New-Network 4, 8, 3 -BatchNorm -Dropout 0.2 -Seed 1
            $x = @(, @(1, 2, 3, 4)) + @(, @(0, 1, 0, -1)) + @(, @(2, 0, 1, 1))
            $pass = $net | Invoke-Forward -InputObject $x -Target 0, 2, 1 -Seed 5
            $grad = $pass | Invoke-Backward
            $path = Join-Path $folder 'bn.xlsx'
            $net, $pass, $grad | Export-Workbook -Path $path
            $sheets = Get-SheetNames $path
            foreach ($name in 'gamma1', 'beta1', 'RunningMean1', 'RunningVariance1', 'L1.Normalized', 'L1.BatchNorm', 'L1.DropoutMask', 'L1.Dropout',
                'dgamma1', 'dbeta1', 'L1.dBatchNorm', 'L1.dDropout') {
                $sheets | Should -Contain $name
            }
            $sheets | Should -Not -Contain 'L2.DropoutMask'
        }

        It 'gives ToExcelRows rows with one property set, running statistics included' {
            $rows = @((New-Network 4, 8, 3 -BatchNorm -Seed 1).ToExcelRows())
            $rows.Name | Should -Be 'W1', 'b1', 'gamma1', 'beta1', 'W2', 'b2', 'RunningMean1', 'RunningVariance1'
            foreach ($r in $rows) { $r.PSObject.Properties.Name | Should -Be 'Name', 'Rows', 'Columns', 'Norm', 'MaxAbs' }
            $rows[-1].Norm | Should -Be ([Math]::Sqrt(8))
        }
    }
}

Describe 'Export-Plot of a network with BatchNorm and Dropout' {
    BeforeAll {
        $script:bnNet = New-Network 2, 8, 6, 3 -BatchNorm -Dropout 0.2 -Seed 1
        $null = $bnNet | Start-Training $data -Epochs 2 -Optimizer Adam -Seed 1
    }
    BeforeEach { $folder = New-Folder }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    It 'writes a valid <Kind> PNG' -ForEach $pictures {
        $path = Join-Path $folder "$Kind.png"
        $splat = @{ Kind = $Kind }
        if ($Kind -eq 'DecisionRegions') { $splat.Data = $data }
        $bnNet | Export-Plot -Path $path @splat
        $bytes = [System.IO.File]::ReadAllBytes($path)
        $bytes.Length | Should -BeGreaterThan 1000
        $bytes[0..7] | Should -Be @(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
    }

    It 'draws the same picture for the same network, and a different one without BatchNorm' {
        $a = Join-Path $folder 'a.png'; $b = Join-Path $folder 'b.png'; $c = Join-Path $folder 'c.png'
        $bnNet | Export-Plot -Path $a -Kind NetworkDiagram
        $bnNet | Export-Plot -Path $b -Kind NetworkDiagram
        New-Network 2, 8, 6, 3 -Seed 1 | Export-Plot -Path $c -Kind NetworkDiagram
        [System.IO.File]::ReadAllBytes($b) | Should -Be ([System.IO.File]::ReadAllBytes($a))
        (Get-FileHash $c).Hash | Should -Not -Be (Get-FileHash $a).Hash
    }

    It 'draws one sample of a forward pass as a diagram, refusing a sample the pass does not have' {
        $pass = $bnNet | Invoke-Forward $data -Seed 2
        $path = Join-Path $folder 'pass.png'
        ($pass | Export-Plot -Path $path -Sample 3 -PassThru).Contents | Should -BeLike '*(NetworkDiagram, 800x600)*'
        $missing = Join-Path $folder 'missing.png'
        { $pass | Export-Plot -Path $missing -Sample $pass.BatchSize } | Should -Throw -ErrorId 'PlotSampleOutOfRange,*'
        Test-Path -LiteralPath $missing | Should -BeFalse
    }

    It 'warns when the pass is older than the network, or -Sample has no pass to pick from' {
        $net = $bnNet.Copy()
        $pass = $net | Invoke-Forward $data -Seed 2
        $net | Set-NetworkParameter b2 (0, 0, 0, 0, 0, 0)
        $pass | Export-Plot -Path (Join-Path $folder 'stale.png') -WarningVariable stale -WarningAction SilentlyContinue
        "$stale" | Should -BeLike '*updated after this pass*'
        $net | Export-Plot -Path (Join-Path $folder 'net.png') -Sample 1 -WarningVariable unused -WarningAction SilentlyContinue
        "$unused" | Should -BeLike '*-Sample*not used*'
    }

    It 'draws the gradients of a training pass as a diagram' {
        $path = Join-Path $folder 'g.png'
        $bnNet | Invoke-Forward $data -Seed 2 | Invoke-Backward | Export-Plot -Path $path
        (Get-Item $path).Length | Should -BeGreaterThan 1000
    }
}
