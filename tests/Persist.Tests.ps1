# Pester 5 tests for Save-Network, Import-Network, Export-NetworkOnnx and Export-Workbook.
# Every scenario here is also covered by tests/BackpropModule.Tests/PersistTests.cs (hosted xunit).
BeforeDiscovery {
    $kinds = foreach ($activation in 'ReLU', 'Sigmoid', 'Tanh') {
        foreach ($output in 'Softmax', 'Identity', 'Sigmoid') { @{ Activation = $activation; Output = $output } }
    }
    $writers = @(
        @{ Name = 'Save-Network'; File = 'n.json' }
        @{ Name = 'Export-NetworkOnnx'; File = 'n.onnx' }
        @{ Name = 'Export-Workbook'; File = 'n.xlsx' }
    )
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
}

Describe 'Save-Network and Import-Network' {
    BeforeEach {
        $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
        $path = [System.IO.Path]::Combine($folder, 'net.json')
    }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    Context 'Given a <Activation>/<Output> network' -ForEach $kinds {
        It 'reads back bit-identical parameters' {
            $net = New-Network 3, 6, 5, 2 -Activation $Activation -Output $Output -Seed 8
            $net | Save-Network -Path $path
            $back = Import-Network -Path $path
            for ($i = 0; $i -lt $net.Parameters.Count; $i++) {
                $net.Parameters[$i].Value.BitwiseEquals($back.Parameters[$i].Value) | Should -BeTrue
            }
            $back.Seed | Should -Be 8
        }
    }

    Context 'Given a network with a training checkpoint' {
        It 'restores the checkpoint' {
            $net = New-Network 3, 4, 2 -Seed 1
            $cp = [BackpropModule.Engine.Training.TrainingCheckpoint]::new()
            $cp.EpochsCompleted = 4
            $cp.RandomState = [ulong[]](1, 2, 18446744073709551615, 4, 0, 0)
            $cp.OptimizerName = 'Momentum'
            $net.Checkpoint = $cp
            $net | Save-Network -Path $path
            $back = Import-Network -Path $path
            $back.Checkpoint.EpochsCompleted | Should -Be 4
            $back.Checkpoint.RandomState[2] | Should -Be ([ulong]::MaxValue)
            $back.Checkpoint.OptimizerName | Should -Be 'Momentum'
        }
    }

    Context 'Given a damaged file' {
        It 'refuses a changed payload with NetworkFileChecksumMismatch' {
            New-Network 2, 3, 2 -Seed 1 | Save-Network -Path $path
            [System.IO.File]::WriteAllText($path, [System.IO.File]::ReadAllText($path).Replace('"seed": 1', '"seed": 2'))
            { Import-Network -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkFileChecksumMismatch,*'
        }
        It 'refuses a truncated file with NetworkFileInvalid' {
            New-Network 2, 3, 2 -Seed 1 | Save-Network -Path $path
            $text = [System.IO.File]::ReadAllText($path)
            [System.IO.File]::WriteAllText($path, $text.Substring(0, $text.Length / 2))
            { Import-Network -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkFileInvalid,*'
        }
        It 'refuses another format version with NetworkFileVersionUnsupported' {
            New-Network 2, 3, 2 -Seed 1 | Save-Network -Path $path
            [System.IO.File]::WriteAllText($path, [System.IO.File]::ReadAllText($path).Replace('"formatVersion": 2', '"formatVersion": 9'))
            { Import-Network -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkFileVersionUnsupported,*'
        }
    }

    Context 'Given -NoClobber and an existing file' {
        It 'refuses with OutputFileExists and keeps the file' {
            [System.IO.File]::WriteAllText($path, 'keep')
            { New-Network 2, 2 -Seed 1 | Save-Network -Path $path -NoClobber } | Should -Throw -ErrorId 'OutputFileExists,*'
            [System.IO.File]::ReadAllText($path) | Should -Be 'keep'
        }
    }
}

Describe 'Writers' {
    BeforeEach {
        $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
    }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    Context 'Given -WhatIf to <Name>' -ForEach $writers {
        It 'creates no file' {
            $target = [System.IO.Path]::Combine($folder, $File)
            New-Network 2, 3, 2 -Seed 1 | & $Name -Path $target -WhatIf
            [System.IO.File]::Exists($target) | Should -BeFalse
        }
    }
}

Describe 'Export-Workbook' {
    BeforeEach {
        $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
        $path = [System.IO.Path]::Combine($folder, 'w.xlsx')
    }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    Context 'Given a network, a pass, gradients and history records' {
        It 'writes one sheet per matrix and a history sheet' {
            $net = New-Network 3, 4, 2 -Seed 4
            $pass = $net | Invoke-Forward -InputObject @(@(1, 2, 3)) -Target 1
            $grad = $pass | Invoke-Backward
            $records = 1..3 | ForEach-Object { [pscustomobject]@{ Epoch = $_; TrainingLoss = 1.0 / $_ } }
            $file = @($net, $pass, $grad) + $records | Export-Workbook -Path $path -PassThru
            $file.Sheets | Should -Contain 'W1'
            $file.Sheets | Should -Contain 'L1.PreActivation'
            $file.Sheets | Should -Contain 'dW2'
            $file.Sheets | Should -Contain 'TrainingHistory'
        }
    }

    Context 'Given an invalid sheet name part-way through an append' {
        It 'leaves the existing workbook byte-identical' {
            $net = New-Network 3, 4, 2 -Seed 4
            $net | Export-Workbook -Path $path
            $before = [System.IO.File]::ReadAllBytes($path)
            { $net, $net.Parameters[0].Value | Export-Workbook -Path $path -Append -Prefix 'New.' -WorksheetName 'bad/name' } |
                Should -Throw -ErrorId 'WorksheetNameInvalid,*'
            [System.IO.File]::ReadAllBytes($path) | Should -Be $before
        }
    }

    Context 'Given rows for ImportExcel' {
        It 'gives every row the same properties' {
            $net = New-Network 3, 4, 2 -Seed 4
            $rows = @($net.ToExcelRows())
            $names = $rows[0].PSObject.Properties.Name -join ','
            foreach ($row in $rows) { $row.PSObject.Properties.Name -join ',' | Should -Be $names }
            $rows[0].Norm | Should -BeOfType [double]
        }
    }
}
