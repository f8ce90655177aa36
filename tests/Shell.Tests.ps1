# Pester 5: what only a real PowerShell shows. Every output type renders within 80 and 120 columns
# with no value cut off, goes through the formatting and object cmdlets, to CSV and JSON and back;
# tab completion; parallel runspaces; an empty pipeline is an error, not a silent no-op.

BeforeDiscovery {
    $outputs = @(
        @{ Type = 'Network'; Make = { $net } }
        @{ Type = 'Parameter'; Make = { $net.Parameters } }
        @{ Type = 'ForwardPass'; Make = { $pass } }
        @{ Type = 'LayerTrace'; Make = { $pass.Layers } }
        @{ Type = 'Gradients'; Make = { $grad } }
        @{ Type = 'Tensor'; Make = { $grad.dW1 } }
        @{ Type = 'wide Tensor'; Make = { (New-Network 30, 40, 3 -Seed 2).Parameters[0].Value } }
        @{ Type = 'GradientCheckResult'; Make = { $check } }
        @{ Type = 'GradientCheckSummary'; Make = { $summary } }
        @{ Type = 'EpochRecord'; Make = { $records } }
        @{ Type = 'EvaluationResult'; Make = { $eval } }
        @{ Type = 'ClassMetrics'; Make = { $eval.Classes } }
        @{ Type = 'EvaluationResult of ten long class names'; Make = { $fashionLikeEval } }
        @{ Type = 'Optimizer'; Make = { $optimizer } }
        @{ Type = 'Dataset'; Make = { $data } }
        @{ Type = 'DatasetSplit'; Make = { $split } }
        @{ Type = 'Network with BatchNorm and Dropout'; Make = { $bnNet } }
        @{ Type = 'ForwardPass in training mode'; Make = { $bnPass } }
        @{ Type = 'ForwardPass in inference mode'; Make = { $bnNet | Invoke-Forward $data -Inference } }
        @{ Type = 'LayerTrace with BatchNorm and Dropout'; Make = { $bnPass.Layers } }
        @{ Type = 'Gradients of a BatchNorm and Dropout pass'; Make = { $bnGrad } }
        @{ Type = 'NetworkBlock'; Make = { $bnNet.Blocks } }
        @{ Type = 'BatchNormLayer'; Make = { $bnNet.BatchNorm } }
    )
    $widths = @(80, 120)
    $completions = @(
        @{ Line = 'New-Network -LayerSizes 2,3 -Activation '; Expected = 'ReLU', 'Sigmoid', 'Tanh' }
        @{ Line = 'New-Network -LayerSizes 2,3 -Output '; Expected = 'Identity', 'Sigmoid', 'Softmax' }
        @{ Line = 'Start-Training -Optimizer '; Expected = 'SGD', 'Momentum', 'AdaGrad', 'RMSProp', 'Adam' }
        @{ Line = 'New-Optimizer -Name R'; Expected = @('RMSProp') }
        @{ Line = 'New-Dataset -Kind '; Expected = 'Sine', 'Spiral', 'Xor' }
        @{ Line = 'Import-IdxDataset -Path $idxFolder -Name '; Expected = 'digits', 'train' }
        @{ Line = '$deep | Test-Gradient -ParameterName '; Expected = 'W1', 'b1', 'W2', 'b2', 'W3', 'b3' }
        @{ Line = 'Test-Gradient -Network $deep -ParameterName b'; Expected = 'b1', 'b2', 'b3' }
        @{ Line = '$deep | Set-NetworkParameter -Name '; Expected = 'W1', 'b1', 'W2', 'b2', 'W3', 'b3' }
        @{ Line = 'Set-NetworkParameter -Network $deep -Name W'; Expected = 'W1', 'W2', 'W3' }
        @{ Line = '$normed | Set-NetworkParameter -Name R'; Expected = 'RunningMean1', 'RunningVariance1' }
        @{ Line = '$normed | Test-Gradient -ParameterName '; Expected = 'W1', 'b1', 'gamma1', 'beta1', 'W2', 'b2' }
    )
    $pipedCommands = @(
        @{ Command = 'Invoke-Forward'; Arguments = @{ InputObject = 1, 2 } }
        @{ Command = 'Invoke-Backward'; Arguments = @{} }
        @{ Command = 'Update-Network'; Arguments = @{} }
        @{ Command = 'Update-Network'; Arguments = @{ Network = $null } }
        @{ Command = 'Set-NetworkParameter'; Arguments = @{ Name = 'b1'; Value = 0 } }
        @{ Command = 'Test-Gradient'; Arguments = @{} }
        @{ Command = 'Start-Training'; Arguments = @{ TrainingData = $null } }
        @{ Command = 'Test-Network'; Arguments = @{ TrainingData = $null } }
        @{ Command = 'Save-Network'; Arguments = @{ Path = 'never.json' } }
        @{ Command = 'Export-NetworkOnnx'; Arguments = @{ Path = 'never.onnx' } }
        @{ Command = 'Export-Workbook'; Arguments = @{ Path = 'never.xlsx' } }
        @{ Command = 'Split-Dataset'; Arguments = @{ ValidationFraction = 0.5 } }
        @{ Command = 'Select-DatasetSample'; Arguments = @{ First = 1 } }
        @{ Command = 'Set-NetworkParameter'; Arguments = @{ Name = 'b1'; Value = , 0.5 } }
        @{ Command = 'Export-Plot'; Arguments = @{ Path = 'never.png' } }
        @{ Command = 'Show-Plot'; Arguments = @{} }
    )
}

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BackpropModule', 'BackpropModule.psd1')) -Force
    $data = New-Dataset -Kind Spiral -Seed 1
    $valid = New-Dataset -Kind Spiral -Count 60 -Seed 2
    $net = New-Network 2, 16, 3 -Seed 1
    $pass = $net | Invoke-Forward $data
    $grad = $pass | Invoke-Backward
    $check = $net | Test-Gradient ($data | Select-DatasetSample -Index 5, 50, 150)
    $summary = $net | Test-Gradient ($data | Select-DatasetSample -Index 5, 50, 150) -Summary
    $records = $net | Start-Training $data -ValidationData $valid -Epochs 3 -Optimizer Adam -LearningRate 0.01 -Seed 1
    $eval = $net | Test-Network $valid
    $optimizer = New-Optimizer Adam -WeightDecay 1e-4
    $names = 'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'
    $rows = foreach ($i in 0..199) { [pscustomobject]@{ a = [Math]::Sin($i); b = [Math]::Cos($i); label = $names[$i % 10] } }
    $tenClasses = $rows | ConvertTo-Dataset -LabelProperty label -ClassNames $names
    $fashionLikeEval = New-Network 2, 8, 10 -Seed 1 | Test-Network $tenClasses
    $split = $data | Split-Dataset -ValidationFraction 0.2 -Seed 1
    $bnNet = New-Network 2, 64, 32, 3 -BatchNorm -Dropout 0.25 -Activation Sigmoid -Seed 1
    $null = $bnNet | Start-Training $data -Epochs 2 -Optimizer Adam -Seed 1
    $bnPass = $bnNet | Invoke-Forward $data -Seed 3
    $bnGrad = $bnPass | Invoke-Backward
    # Completion sees the session's variables, as at the prompt: global ones.
    $global:deep = New-Network 2, 3, 3, 2 -Seed 1
    $global:normed = New-Network 2, 3, 2 -BatchNorm -Seed 1
    $idxFolder = [System.IO.Path]::Combine($TestDrive, 'idx')
    $null = [System.IO.Directory]::CreateDirectory($idxFolder)
    foreach ($set in 'train', 'digits') {
        foreach ($kind in 'images-idx3-ubyte', 'labels-idx1-ubyte') { [System.IO.File]::WriteAllBytes([System.IO.Path]::Combine($idxFolder, "$set-$kind"), [byte[]]@()) }
    }
}

Describe 'Output type <Type>' -ForEach $outputs {
    BeforeAll { $object = & $Make }

    It 'renders within <_> columns with no value cut off' -ForEach $widths {
        $text = $object | Out-String -Width $_
        $text.Trim() | Should -Not -BeNullOrEmpty
        foreach ($line in $text -split '\r?\n') {
            $line.Length | Should -BeLessOrEqual $_ -Because "'$line'"
            $line | Should -Not -Match '\S…|…\S' -Because "a table cut a value in '$line'"
        }
    }

    It 'goes through Format-Table, Format-List and the object cmdlets' {
        ($object | Format-Table | Out-String -Width 120).Trim() | Should -Not -BeNullOrEmpty
        ($object | Format-List | Out-String -Width 120).Trim() | Should -Not -BeNullOrEmpty
        $first = $object | Select-Object -First 1 -Property *
        @($first.PSObject.Properties).Count | Should -BeGreaterThan 1
        $property = @($first.PSObject.Properties | Where-Object { $_.Value -is [ValueType] -or $_.Value -is [string] })[0].Name
        @($object | Sort-Object -Property $property).Count | Should -Be @($object).Count
        @($object | Group-Object -Property $property | ForEach-Object Count | Measure-Object -Sum).Sum | Should -Be @($object).Count
        ($object | Measure-Object).Count | Should -Be @($object).Count
    }

    It 'converts to JSON and back' {
        $json = $object | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
        $back = $json | ConvertFrom-Json
        @($back).Count | Should -Be @($object).Count
    }
}

Describe 'CSV round trips' {
    It 'keeps every field of the training records, bit for bit' {
        $path = [System.IO.Path]::Combine($TestDrive, 'records.csv')
        $records | Export-Csv -LiteralPath $path
        $back = @(Import-Csv -LiteralPath $path)
        $back.Count | Should -Be $records.Count
        for ($i = 0; $i -lt $records.Count; $i++) {
            [int]$back[$i].Epoch | Should -Be $records[$i].Epoch
            [double]::Parse($back[$i].TrainingLoss, [cultureinfo]::InvariantCulture) | Should -Be $records[$i].TrainingLoss
            [double]::Parse($back[$i].ValidationAccuracy, [cultureinfo]::InvariantCulture) | Should -Be $records[$i].ValidationAccuracy
        }
    }
    It 'keeps a tensor written with ToRows, bit for bit' {
        $path = [System.IO.Path]::Combine($TestDrive, 'dW1.csv')
        $grad.dW1.ToRows() | Export-Csv -LiteralPath $path
        $back = @(Import-Csv -LiteralPath $path)
        $back.Count | Should -Be $grad.dW1.Rows
        for ($r = 0; $r -lt $grad.dW1.Rows; $r++) {
            for ($c = 0; $c -lt $grad.dW1.Columns; $c++) {
                [double]::Parse($back[$r]."C$c", [cultureinfo]::InvariantCulture) | Should -Be $grad.dW1[$r, $c]
            }
        }
    }
    It 'writes one row per gradient-check result with its figures' {
        $path = [System.IO.Path]::Combine($TestDrive, 'check.csv')
        $check | Export-Csv -LiteralPath $path
        $back = @(Import-Csv -LiteralPath $path)
        ($back | ForEach-Object Parameter) | Should -Be ($check | ForEach-Object Parameter)
        [double]$back[0].MaxRelError | Should -Be $check[0].MaxRelError
    }
    It 'shows a tensor as rows of values in JSON' {
        $values = ($grad.dW1 | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue | ConvertFrom-Json).Values
        $values.Count | Should -Be $grad.dW1.Rows
        $values[1][3] | Should -Be $grad.dW1[1, 3]
    }
}

Describe 'Tab completion' {
    It 'completes <Line>' -ForEach $completions {
        $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        @($result.CompletionMatches.CompletionText) | Should -Be $Expected
    }
}

Describe 'Parallel runspaces' {
    It 'trains independent networks in ForEach-Object -Parallel exactly as in sequence' {
        $module = (Get-Module BackpropModule).Path -replace '\.psm1$', '.psd1'
        $parallel = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:module
            $n = New-Network 2, 8, 3 -Seed $_
            $null = $n | Start-Training (New-Dataset -Kind Spiral -Seed 1) -Epochs 5 -Optimizer Adam -LearningRate 0.01 -Seed $_
            [pscustomobject]@{ Seed = $_; Loss = ($n | Test-Network (New-Dataset -Kind Spiral -Seed 1)).Loss }
        } | Sort-Object Seed
        foreach ($p in $parallel) {
            $n = New-Network 2, 8, 3 -Seed $p.Seed
            $null = $n | Start-Training $data -Epochs 5 -Optimizer Adam -LearningRate 0.01 -Seed $p.Seed
            ($n | Test-Network $data).Loss | Should -Be $p.Loss
        }
    }
}

Describe 'An empty pipeline' {
    It '<Command> after an empty pipe stops with PipelineInputMissing' -ForEach $pipedCommands {
        $nothing = Import-Network -Path ([System.IO.Path]::Combine($TestDrive, 'typo.jsn')) -ErrorAction SilentlyContinue
        $arguments = $Arguments.Clone()
        if ($arguments.ContainsKey('TrainingData')) { $arguments.TrainingData = $data }
        if ($arguments.ContainsKey('Network')) { $arguments.Network = $net }
        if ($Command -eq 'Test-Network') { $arguments = @{ Data = $data } }
        if ($arguments.ContainsKey('Path')) { $arguments.Path = [System.IO.Path]::Combine($TestDrive, $arguments.Path) }
        { $nothing | & $Command @arguments } | Should -Throw -ErrorId 'PipelineInputMissing,*'
        if ($arguments.ContainsKey('Path')) { Test-Path -LiteralPath $arguments.Path | Should -BeFalse }
    }

    It '<Command> after a pipe that carries $null reports that one binding error, not a second' -ForEach $pipedCommands {
        $arguments = $Arguments.Clone()
        if ($arguments.ContainsKey('TrainingData')) { $arguments.TrainingData = $data }
        if ($arguments.ContainsKey('Network')) { $arguments.Network = $net }
        if ($Command -eq 'Test-Network') { $arguments = @{ Data = $data } }
        if ($arguments.ContainsKey('Path')) { $arguments.Path = [System.IO.Path]::Combine($TestDrive, $arguments.Path) }
        $errors = $null
        $null | & $Command @arguments -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgument*'
        if ($arguments.ContainsKey('Path')) { Test-Path -LiteralPath $arguments.Path | Should -BeFalse }
    }
}
