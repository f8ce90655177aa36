# Pester 5 tests for Save-Network, Import-Network, Export-NetworkOnnx and Export-Workbook, as pwsh
# users type them. Error-record details (category, target), -WhatIf's host text and progress records
# are hosted: tests/BackpropModule.Tests/PersistTests.cs and PersistWorkbookTests.cs. The rules every
# reader and writer follows (paths, links, modes, limits) are in Files.Tests.ps1.
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
    # Workbooks are read back with the Open XML SDK the module loads.
    function Get-SheetNames($Path) {
        $doc = [DocumentFormat.OpenXml.Packaging.SpreadsheetDocument]::Open($Path, $false)
        try { $doc.WorkbookPart.Workbook.Sheets.ChildElements | ForEach-Object { $_.Name.Value } } finally { $doc.Dispose() }
    }
    function Read-Sheet($Path, $Name) {
        $doc = [DocumentFormat.OpenXml.Packaging.SpreadsheetDocument]::Open($Path, $false)
        try {
            $sheet = $doc.WorkbookPart.Workbook.Sheets.ChildElements | Where-Object { $_.Name.Value -eq $Name }
            $cells = @{}
            foreach ($c in $doc.WorkbookPart.GetPartById($sheet.Id.Value).Worksheet.Descendants[DocumentFormat.OpenXml.Spreadsheet.Cell]()) { $cells[$c.CellReference.Value] = $c.InnerText }
            $cells
        } finally { $doc.Dispose() }
    }
    # How many cells of the sheet (values from row 2, column A) differ from the tensor.
    function Get-GridDifference($Cells, $Tensor) {
        $bad = 0
        for ($r = 0; $r -lt $Tensor.Rows; $r++) {
            for ($c = 0; $c -lt $Tensor.Columns; $c++) {
                $ref = [BackpropModule.Engine.IO.WorkbookWriter]::Reference($c + 1, $r + 2)
                if ([double]::Parse($Cells[$ref], [cultureinfo]::InvariantCulture) -ne $Tensor[$r, $c]) { $bad++ }
            }
        }
        $bad
    }
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
        It 'restores the checkpoint with the optimizer''s settings and state' {
            $net = New-Network 3, 4, 2 -Seed 1
            $cp = [BackpropModule.Engine.Training.TrainingCheckpoint]::new()
            $cp.EpochsCompleted = 4
            $cp.RandomState = [ulong[]](1, 2, 18446744073709551615, 4, 0, 0)
            $cp.OptimizerName = 'Momentum'
            $settings = [System.Collections.Generic.Dictionary[string, double]]::new(); $settings['LearningRate'] = 0.1; $settings['Momentum'] = 0.9
            $cp.OptimizerSettings = $settings
            $state = [System.Collections.Generic.List[System.Collections.Generic.KeyValuePair[string, BackpropModule.Engine.Tensors.Tensor]]]::new()
            $state.Add([System.Collections.Generic.KeyValuePair[string, BackpropModule.Engine.Tensors.Tensor]]::new('v.W1', $net.Parameters[0].Value.Clone()))
            $cp.OptimizerState = $state
            $net.Checkpoint = $cp
            $net | Save-Network -Path $path
            $back = Import-Network -Path $path
            $back.Checkpoint.EpochsCompleted | Should -Be 4
            $back.Checkpoint.RandomState[2] | Should -Be ([ulong]::MaxValue)
            $back.Checkpoint.OptimizerName | Should -Be 'Momentum'
            $back.Checkpoint.OptimizerSettings['Momentum'] | Should -Be 0.9
            $back.Checkpoint.OptimizerState[0].Value.BitwiseEquals($net.Parameters[0].Value) | Should -BeTrue
        }
    }

    Context 'Given -PassThru' {
        It 'writes the saved file, shown as a list' {
            $saved = New-Network 2, 2 -Seed 1 | Save-Network -Path $path -PassThru
            $saved.GetType().FullName | Should -Be 'BackpropModule.Engine.IO.SavedFile'
            $saved.Path | Should -Be $path
            $text = ($saved | Out-String -Width 80) -replace '\x1b\[[0-9;]*m', ''
            $text | Should -Match 'Format\s+: BackpropModule\.Network v'
            $text | Should -Match '\d bytes'
        }
    }

    Context 'Given paths piped as strings, as files or as a wildcard' {
        It 'reads each' {
            New-Network 2, 3, 2 -Seed 5 | Save-Network -Path ([System.IO.Path]::Combine($folder, 'p1.json'))
            New-Network 2, 4, 2 -Seed 6 | Save-Network -Path ([System.IO.Path]::Combine($folder, 'p2.json'))
            ([System.IO.Path]::Combine($folder, 'p1.json') | Import-Network).Seed | Should -Be 5
            (Get-Item ([System.IO.Path]::Combine($folder, 'p2.json')) | Import-Network).Seed | Should -Be 6
            @(Import-Network -Path ([System.IO.Path]::Combine($folder, 'p*.json'))).Count | Should -Be 2
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

Describe 'Export-NetworkOnnx' {
    BeforeEach {
        $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
    }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    Context 'Given double and single precision' {
        It 'writes opset 13 models, the single one smaller' {
            $net = New-Network 4, 8, 3 -Seed 2
            $double = $net | Export-NetworkOnnx -Path ([System.IO.Path]::Combine($folder, 'm.onnx')) -PassThru
            $single = $net | Export-NetworkOnnx -Path ([System.IO.Path]::Combine($folder, 'm32.onnx')) -Precision Single -PassThru
            $double.Format | Should -Be 'ONNX opset 13 (float64)'
            $single.Format | Should -Be 'ONNX opset 13 (float32)'
            $single.Length | Should -BeLessThan $double.Length
            @([System.IO.Directory]::GetFiles($folder)).Count | Should -Be 2
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
        It 'writes the records of a real run one row per epoch' {
            $net = New-Network 2, 8, 2 -Activation Tanh -Seed 2
            $history = $net | Start-Training (New-Dataset -Kind Xor -Count 40 -Seed 1) -Epochs 5 -BatchSize 8 -Seed 1
            $file = $history | Export-Workbook -Path $path -PassThru
            $file.Sheets | Should -Be @('TrainingHistory')
            $cells = Read-Sheet $path 'TrainingHistory'
            $cells['A1'] | Should -Be 'Epoch'
            $cells['A6'] | Should -Be '5'
            $cells.ContainsKey('A7') | Should -BeFalse
        }
    }

    Context 'Given -Append onto a workbook with a sheet of the same name' {
        It 'keeps the other sheets, replaces that one and warns' {
            $net = New-Network 3, 4, 2 -Seed 4
            $net | Export-Workbook -Path $path
            $other = New-Network 3, 4, 2 -Seed 99
            $warnings = $other.Parameters[0].Value | Export-Workbook -Path $path -Append -WorksheetName W1 3>&1
            Get-SheetNames $path | Should -Be @('W1', 'b1', 'W2', 'b2')
            Get-GridDifference (Read-Sheet $path 'W1') $other.Parameters[0].Value | Should -Be 0
            Get-GridDifference (Read-Sheet $path 'b2') $net.Parameters[3].Value | Should -Be 0
            "$warnings" | Should -BeLike '*Replaced existing worksheet(s) W1*'
        }
    }

    Context 'Given -WorksheetName with only a network piped' {
        It 'names the sheets after the parameters and warns that the name was not used' {
            $net = New-Network 3, 4, 2 -Seed 4
            $warnings = $net | Export-Workbook -Path $path -WorksheetName Mine 3>&1
            Get-SheetNames $path | Should -Be @('W1', 'b1', 'W2', 'b2')
            "$warnings" | Should -BeLike "*-WorksheetName 'Mine'*-Prefix*"
        }
    }

    Context 'Given -MaxRows smaller than the tensor' {
        It 'writes the first rows and warns' {
            $t = [BackpropModule.Engine.Tensors.Tensor]::FromRows([double[][]]@(@(1.5, 2), @(3, 4), @(5, 6)))
            $warnings = $t | Export-Workbook -Path $path -WorksheetName Cut -MaxRows 2 3>&1
            $cells = Read-Sheet $path 'Cut'
            $cells.Count | Should -Be 9
            $cells['B3'] | Should -Be '3'
            "$warnings" | Should -BeLike '*writing the first 2*'
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

    Context 'Given rows for ImportExcel from <Name>' -ForEach @(
        @{ Name = 'a tensor'; Make = { $net.Parameters[0].Value.ToRows() }; Count = 3 }
        @{ Name = 'gradients'; Make = { ($net | Invoke-Forward -InputObject @(, @(1, 2, 3)) -Target 1 | Invoke-Backward).ToExcelRows() }; Count = 4 }
        @{ Name = 'a network'; Make = { $net.ToExcelRows() }; Count = 4 }
    ) {
        It 'gives every row the same properties, with numbers as numbers' {
            $net = New-Network 3, 4, 2 -Seed 4
            $rows = @(& $Make)
            $rows.Count | Should -Be $Count
            $names = $rows[0].PSObject.Properties.Name -join ','
            foreach ($row in $rows) {
                $row.PSObject.Properties.Name -join ',' | Should -Be $names
                foreach ($p in $row.PSObject.Properties | Where-Object Name -NE 'Name') { ($p.Value -is [double] -or $p.Value -is [int]) | Should -BeTrue -Because "$($p.Name) is a number" }
            }
        }
    }
    Context 'Given a tensor''s rows' {
        It 'names the columns Row, C0, C1 and on' {
            (New-Network 3, 4, 2 -Seed 4).Parameters[0].Value.ToRows()[0].PSObject.Properties.Name | Should -Be @('Row', 'C0', 'C1', 'C2', 'C3')
        }
    }
}
