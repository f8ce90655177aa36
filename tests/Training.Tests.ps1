# Pester 5 tests of training, optimizers, built-in datasets and evaluation, as pwsh users type them.
# Error-record details (category, target), progress records and Ctrl+C (PowerShell.Stop()) are
# hosted: tests/BackpropModule.Tests/TrainingTests.cs.
BeforeDiscovery {
    $optimizerErrors = @(
        @{ Script = { New-Optimizer -Name SGD -Beta1 0.5 }; ErrorId = 'OptimizerSettingInvalid' }
        @{ Script = { New-Optimizer -Name Adam -Beta1 1.5 }; ErrorId = 'OptimizerSettingInvalid' }
        @{ Script = { New-Optimizer -Name Adamax }; ErrorId = 'OptimizerNameUnknown' }
        @{ Script = { New-Optimizer -Name Adam -LearningRate 0 }; ErrorId = 'LearningRateInvalid' }
    )
    $hasFashion = Test-Path '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    # What a console of 120 columns shows, without the ANSI styling of table headers.
    function Show([scriptblock] $Script) { (& $Script | Out-String -Width 120) -replace '\x1b\[[0-9;]*m', '' }
    function Test-SameWeights($A, $B) {
        for ($i = 0; $i -lt $A.Parameters.Count; $i++) {
            if (-not $A.Parameters[$i].Value.BitwiseEquals($B.Parameters[$i].Value)) { return $false }
        }
        $true
    }
}

Describe 'New-Dataset' {
    Context 'Given a built-in kind' {
        It 'makes the sine tutorial''s 63 points' {
            (New-Dataset -Kind Sine).Count | Should -Be 63
        }
        It 'makes a balanced three-class spiral' {
            $d = New-Dataset -Kind Spiral -Seed 1
            $d.Count | Should -Be 300
            $d.ClassCount | Should -Be 3
        }
        It 'makes the four XOR points' {
            (New-Dataset -Kind Xor).Count | Should -Be 4
        }
        It 'shows the kind and the classes' {
            $text = Show { New-Dataset -Kind Spiral -Seed 1 -Count 10 }
            $text | Should -Match '3 classes'
            $text | Should -Match 'spiral'
        }
        It 'rejects a spiral with one arm' {
            { New-Dataset -Kind Spiral -Classes 1 } | Should -Throw -ErrorId 'DatasetOptionInvalid,*'
        }
    }
}

Describe 'New-Optimizer' {
    Context 'Given valid settings' {
        It 'keeps the defaults it was not given' {
            $adam = New-Optimizer -Name Adam -LearningRate 0.002 -Beta2 0.99
            $adam.Beta1 | Should -Be 0.9
            $adam.Beta2 | Should -Be 0.99
            $adam.LearningRate | Should -Be 0.002
        }
        It 'shows its settings' {
            $text = Show { New-Optimizer Momentum }
            $text | Should -Match 'Momentum=0\.9'
            $text | Should -Match '0\.01'
        }
    }
    Context 'Given bad settings' {
        It 'fails with <ErrorId>' -ForEach $optimizerErrors {
            $Script | Should -Throw -ErrorId "$ErrorId*"
        }
    }
}

Describe 'Start-Training' {
    BeforeAll {
        $data = New-Dataset -Kind Spiral -Count 50 -Seed 3
    }
    Context 'Given a spiral and Adam' {
        It 'writes one record per epoch, lowers the loss, and the network last with -PassThru' {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $valid = New-Dataset -Kind Spiral -Count 20 -Seed 4
            $out = $net | Start-Training $data -ValidationData $valid -Epochs 30 -BatchSize 15 -Optimizer Adam -LearningRate 0.01 -Seed 2 -PassThru
            $out.Count | Should -Be 31
            $out[-1] | Should -Be $net
            $log = $out[0..29]
            $log | ForEach-Object { $_.GetType().FullName | Should -Be 'BackpropModule.Engine.Training.EpochRecord' }
            $log[-1].TrainingLoss | Should -BeLessThan $log[0].TrainingLoss
            $log[-1].ValidationAccuracy | Should -BeGreaterThan $log[0].ValidationAccuracy
            $log[0].Optimizer | Should -Be 'Adam'
            $log[0].LearningRate | Should -Be 0.01
        }
        It 'shows the records as a table' {
            $text = Show { New-Network -LayerSizes 2, 20, 3 -Seed 1 | Start-Training $data -Epochs 2 -Seed 1 }
            $text | Should -Match 'TrainLoss'
            $text | Should -Match 'Samples/s'
        }
        It 'continues bit for bit with -Resume, numbering the epochs on' {
            $a = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $b = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $whole = $a | Start-Training $data -Epochs 4 -BatchSize 16 -Optimizer Adam -Seed 9
            $null = $b | Start-Training $data -Epochs 2 -BatchSize 16 -Optimizer Adam -Seed 9
            $resumed = $b | Start-Training $data -Epochs 2 -BatchSize 16 -Resume
            Test-SameWeights $a $b | Should -BeTrue
            $resumed[0].Epoch | Should -Be 3
            $resumed[1].TrainingLoss | Should -Be $whole[3].TrainingLoss
            $b.Checkpoint.EpochsCompleted | Should -Be 4
        }
        It 'shows the checkpoint with the optimizer and its state' {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $null = $net | Start-Training $data -Epochs 2 -Optimizer Adam -Seed 1
            $text = Show { $net.Checkpoint }
            $text | Should -Match 'EpochsCompleted'
            $text | Should -Match 'Adam \(LearningRate=0\.001'
            $text | Should -Match 'M\.W1 2x20'
        }
    }
    Context 'Given a file saved after 2 epochs with <_>' -ForEach 'Adam', 'Momentum', 'SGD' {
        It 'resumes from the imported file exactly as an uninterrupted run of 4' {
            $spiral = New-Dataset -Kind Spiral -Count 40 -Seed 5
            $a = New-Network 2, 16, 3 -Activation Tanh -Seed 9
            $null = $a | Start-Training $spiral -Epochs 4 -BatchSize 16 -Optimizer $_ -Seed 3
            $b = New-Network 2, 16, 3 -Activation Tanh -Seed 9
            $null = $b | Start-Training $spiral -Epochs 2 -BatchSize 16 -Optimizer $_ -Seed 3
            $path = Join-Path $TestDrive "half-$_.json"
            $b | Save-Network -Path $path
            $c = Import-Network -Path $path
            $records = $c | Start-Training $spiral -Epochs 2 -BatchSize 16 -Resume
            $records[-1].Epoch | Should -Be 4
            Test-SameWeights $a $c | Should -BeTrue
        }
    }
    Context 'Given -EarlyStopping on a set it overfits' {
        It 'stops <Patience> epochs after the best and says it restored it' -ForEach @{ Patience = 10 } {
            $train = New-Dataset -Kind Spiral -Count 8 -Seed 1 -Noise 0.6
            $valid = New-Dataset -Kind Spiral -Count 60 -Seed 2 -Noise 0.6
            $net = New-Network -LayerSizes 2, 100, 3 -Seed 3
            $out = $net | Start-Training $train -ValidationData $valid -Epochs 400 -BatchSize 24 -Optimizer Adam -LearningRate 0.05 -Seed 1 -EarlyStopping -Patience $Patience -Verbose 4>&1
            $log = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            $log.Count | Should -BeLessThan 400
            $log[-1].Epoch | Should -Be ($log[-1].BestEpoch + $Patience)
            @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*Stopped early*restored*' }).Count | Should -Be 1
        }
    }
    Context 'Given -Resume on a network never trained' {
        It 'fails with TrainingCheckpointMissing' {
            { New-Network 1, 1 -Output Identity | Start-Training (New-Dataset Sine) -Resume } | Should -Throw -ErrorId 'TrainingCheckpointMissing,*'
        }
    }
    Context 'Given an optimizer name it does not know' {
        It 'fails with OptimizerNameUnknown' {
            { New-Network 1, 1 -Output Identity | Start-Training (New-Dataset Sine) -Optimizer Nesterov } | Should -Throw -ErrorId 'OptimizerNameUnknown,*'
        }
    }
    Context 'Given data that does not fit' {
        It 'fails with DatasetFeatureMismatch and leaves the network alone' {
            $sine = New-Dataset -Kind Sine
            $net = New-Network -LayerSizes 2, 3 -Seed 1
            { $net | Start-Training $sine -Epochs 1 } | Should -Throw -ErrorId 'DatasetFeatureMismatch,*'
            $net.Version | Should -Be 0
        }
    }
    Context 'Given a learning rate that is far too large' {
        It 'fails with TrainingDiverged within a few steps and puts the starting weights back' {
            $sine = New-Dataset -Kind Sine
            $net = New-Network -LayerSizes 1, 3, 1 -Activation Sigmoid -Output Identity -Seed 1
            $w1 = $net.Parameters[0].Value.Clone()
            { $net | Start-Training $sine -Epochs 50 -BatchSize 1 -LearningRate 1e6 -NoShuffle } | Should -Throw -ErrorId 'TrainingDiverged,*'
            foreach ($p in $net.Parameters) { $p.Value.FindNonFinite() | Should -BeNullOrEmpty }
            $net.Parameters[0].Value.BitwiseEquals($w1) | Should -BeTrue
        }
        It 'says which batch and that the loss exploded' -ForEach @('SGD', 'Momentum', 'Adam') {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $e = { $net | Start-Training $data -Epochs 5 -Optimizer $_ -LearningRate 1e6 -Seed 1 } | Should -Throw -ErrorId 'TrainingDiverged,*' -PassThru
            $e.Exception.Message | Should -BeLike '*epoch 1, batch 2*1000 times*'
        }
        It 'then resumes from the checkpoint with a lower rate' {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            { $net | Start-Training $data -Epochs 5 -Optimizer Adam -LearningRate 1e6 -Seed 1 } | Should -Throw -ErrorId 'TrainingDiverged,*'
            $log = $net | Start-Training $data -Epochs 5 -Resume -LearningRate 0.01
            $log.Count | Should -Be 5
            $log[-1].LearningRate | Should -Be 0.01
        }
    }
    Context 'Given -ClipGradientNorm' {
        It 'bounds every step and still learns' {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $log = $net | Start-Training $data -Epochs 20 -BatchSize 15 -LearningRate 0.5 -ClipGradientNorm 0.5 -Seed 2
            $log[-1].TrainingLoss | Should -BeLessThan $log[0].TrainingLoss
            $net.Checkpoint.ClipNorm | Should -Be 0.5
        }
        It 'refuses a limit that is not positive' {
            { New-Network -LayerSizes 2, 20, 3 -Seed 1 | Start-Training $data -ClipGradientNorm 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }
    }
    Context 'Given -LearningRateSchedule' {
        It 'shows each epoch''s rate in its record: <Kind>' -ForEach @(
            @{ Kind = 'Step'; Extra = @{ StepSize = 2; Gamma = 0.5 }; Rates = 0.1, 0.1, 0.05, 0.05 }
            @{ Kind = 'Exponential'; Extra = @{ Gamma = 0.5 }; Rates = 0.1, 0.05, 0.025, 0.0125 }
        ) {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $log = $net | Start-Training $data -Epochs 4 -LearningRate 0.1 -LearningRateSchedule $Kind @Extra -Seed 2
            $log.LearningRate | Should -Be $Rates
        }
        It 'continues the schedule on -Resume without repeating it' {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $null = $net | Start-Training $data -Epochs 2 -LearningRate 0.1 -LearningRateSchedule Exponential -Gamma 0.5 -Seed 2
            $log = $net | Start-Training $data -Epochs 2 -Resume
            $log.LearningRate | Should -Be 0.025, 0.0125
        }
        It 'refuses a schedule parameter the run would ignore: <Case>' -ForEach @(
            @{ Case = '-Gamma without a schedule'; Extra = @{ Gamma = 0.5 } }
            @{ Case = '-StepSize with Cosine'; Extra = @{ LearningRateSchedule = 'Cosine'; StepSize = 3 } }
            @{ Case = '-Gamma on -Resume without a schedule'; Extra = @{ Resume = $true; Gamma = 0.9 } }
        ) {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $null = $net | Start-Training $data -Epochs 1 -LearningRateSchedule Exponential -Gamma 0.5 -Seed 2
            $version = $net.Version
            { $net | Start-Training $data -Epochs 1 @Extra } | Should -Throw -ErrorId 'TrainingOptionInvalid,*'
            $net.Version | Should -Be $version
        }
        It 'shows the schedule and the clipping in the checkpoint, and a pass''s batch statistics, within 80 columns' {
            $net = New-Network -LayerSizes 2, 20, 3 -BatchNorm -Seed 1
            $null = $net | Start-Training $data -Epochs 2 -LearningRateSchedule ReduceOnPlateau -Gamma 0.5 -SchedulePatience 3 -ClipGradientNorm 2 -Seed 2
            $text = ($net.Checkpoint | Out-String -Width 80) -replace '\x1b\[[0-9;]*m', ''
            $text | Should -Match 'ReduceOnPlateau \(base 0\.1\)'
            $text | Should -Match 'Gamma=0\.5, MinLearningRate=0, SchedulePatience=3'
            $text | Should -Match 'ClipGradientNorm : 2'
            $gradients = Invoke-Forward -Network $net -InputObject (Select-DatasetSample -InputObject $data -First 5) | Invoke-Backward
            $stats = ($gradients.BatchStatistics | Out-String -Width 80) -replace '\x1b\[[0-9;]*m', ''
            $stats | Should -Match 'Variance min \.\. max'
            $stats | Should -Match '(?m)^\s+1\s+5\s+20\s' -Because 'block 1, 5 samples, 20 units'
            (($text + $stats) -split '\r?\n' | Where-Object Length -gt 80) | Should -BeNullOrEmpty
        }
        It 'refuses a minimum rate above the base rate' {
            { New-Network -LayerSizes 2, 20, 3 -Seed 1 | Start-Training $data -LearningRate 0.1 -LearningRateSchedule Cosine -MinLearningRate 0.5 } |
                Should -Throw -ErrorId 'TrainingOptionInvalid,*'
        }
    }
    Context 'Given a network that already holds infinite weights' {
        It 'fails with NetworkNotFinite, not a divergence' {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $net.Parameters[0].Value[0, 0] = [double]::PositiveInfinity
            { $net | Start-Training $data -Epochs 1 } | Should -Throw -ErrorId 'NetworkNotFinite,*'
        }
    }
    Context 'Given a run assigned to a variable' {
        It 'keeps the epoch records on the network, saved and imported with it' {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $log = $net | Start-Training $data -Epochs 3 -BatchSize 16 -Optimizer Adam -Seed 2
            $net.History.Count | Should -Be 3
            $net.History[-1].TrainingLoss | Should -Be $log[-1].TrainingLoss
            $path = Join-Path $TestDrive 'history.json'
            $net | Save-Network -Path $path
            $back = Import-Network -Path $path
            ($back.History.TrainingLoss -join ',') | Should -Be ($log.TrainingLoss -join ',')
            $null = $back | Start-Training $data -Epochs 2 -Resume
            $back.History.Epoch | Should -Be 1, 2, 3, 4, 5
            $null = $back | Start-Training $data -Epochs 1 -Seed 3
            $back.History.Epoch | Should -Be 1
        }
    }
    Context 'Given -Resume with other settings or data' {
        BeforeAll {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $null = $net | Start-Training $data -Epochs 2 -BatchSize 16 -Optimizer Adam -Seed 9
        }
        It 'refuses <Name> with TrainingResumeMismatch naming it' -ForEach @(
            @{ Name = 'another batch size'; Script = { $net | Start-Training $data -Epochs 1 -BatchSize 32 -Resume }; Says = '*batch size is 32*16*' }
            @{ Name = '-NoShuffle'; Script = { $net | Start-Training $data -Epochs 1 -NoShuffle -Resume }; Says = '*does not shuffle*' }
            @{ Name = 'other data'; Script = { $net | Start-Training (New-Dataset -Kind Spiral -Count 50 -Seed 4) -Epochs 1 -Resume }; Says = '*data has*other values*' }
            @{ Name = 'fewer samples'; Script = { $net | Start-Training (New-Dataset -Kind Spiral -Count 40 -Seed 3) -Epochs 1 -Resume }; Says = '*120 samples*150*' }
        ) {
            $version = $net.Version
            $e = $Script | Should -Throw -ErrorId 'TrainingResumeMismatch,*' -PassThru
            $e.Exception.Message | Should -BeLike $Says
            $e.Exception.Message | Should -BeLike '*-Force*'
            $net.Version | Should -Be $version
            $net.Checkpoint.EpochsCompleted | Should -Be 2
        }
        It 'continues with the checkpoint''s batch size when none is given, and with -Force when told' {
            $log = $net | Start-Training $data -Epochs 1 -Resume
            $log.Batches | Should -Be 10
            $log = $net | Start-Training $data -Epochs 1 -BatchSize 50 -Resume -Force
            $log.Batches | Should -Be 3
        }
    }
}

Describe 'Update-Network' {
    BeforeAll {
        $net = New-Network -LayerSizes 2, 8, 3 -Seed 1
        $x = [double[][]]@(@(300.0, -200.0), @(150.0, 400.0))
    }
    Context 'Given a step that would overflow the weights' {
        It 'fails with UpdateNotFinite and changes nothing' {
            $grad = $net | Invoke-Forward -InputObject $x -Target 0, 2 | Invoke-Backward
            $w1 = $net.Parameters[0].Value.Clone(); $version = $net.Version
            { $grad | Update-Network -LearningRate 1.7e308 } | Should -Throw -ErrorId 'UpdateNotFinite,*'
            $net.Parameters[0].Value.BitwiseEquals($w1) | Should -BeTrue
            $net.Version | Should -Be $version
        }
    }
    Context 'Given an optimizer' {
        BeforeAll {
            $x2 = @(@(0.5, -1), @(1, 0.25)); $t2 = 0, 1
        }
        It 'steps with it, it counts the steps, and -LearningRate changes its rate' {
            $small = New-Network -LayerSizes 2, 4, 2 -Activation Tanh -Seed 5
            $opt = New-Optimizer Momentum -LearningRate 0.1
            $before = ($small | Invoke-Forward $x2 $t2).Loss
            foreach ($i in 1..20) { $g = $small | Invoke-Forward $x2 $t2 | Invoke-Backward; $small | Update-Network -Gradient $g -Optimizer $opt }
            ($small | Invoke-Forward $x2 $t2).Loss | Should -BeLessThan $before
            $g = $small | Invoke-Forward $x2 $t2 | Invoke-Backward
            $small | Update-Network -Gradient $g -Optimizer $opt -LearningRate 0.05
            $opt.Steps | Should -Be 21
            $opt.LearningRate | Should -Be 0.05
        }
        It 'refuses gradients it has already applied with GradientStale' {
            $small = New-Network -LayerSizes 2, 2 -Seed 1; $opt = New-Optimizer Adam
            $g = $small | Invoke-Forward @(1, 2) 0 | Invoke-Backward
            $small | Update-Network -Gradient $g -Optimizer $opt
            { $small | Update-Network -Gradient $g -Optimizer $opt } | Should -Throw -ErrorId 'GradientStale,*'
        }
        It 'leaves the network and the optimizer alone with -WhatIf' {
            $small = New-Network -LayerSizes 2, 2 -Seed 1; $opt = New-Optimizer Adam
            $g = $small | Invoke-Forward @(1, 2) 0 | Invoke-Backward
            $small | Update-Network -Gradient $g -Optimizer $opt -WhatIf
            $small.Version | Should -Be 0
            $opt.Steps | Should -Be 0
        }
    }
    Context 'Given an optimizer whose step is refused' {
        It 'keeps the optimizer''s learning rate' {
            $momentum = New-Optimizer -Name Momentum
            $grad = $net | Invoke-Forward -InputObject $x -Target 0, 2 | Invoke-Backward
            $grad | Update-Network -Optimizer $momentum
            $other = New-Network -LayerSizes 2, 5, 3 -Seed 2
            $otherGrad = $other | Invoke-Forward -InputObject $x -Target 0, 2 | Invoke-Backward
            { $otherGrad | Update-Network -Optimizer $momentum -LearningRate 0.5 } | Should -Throw -ErrorId 'OptimizerNetworkMismatch,*'
            $momentum.LearningRate | Should -Be 0.01
        }
    }
    Context 'Given one network shared by parallel runspaces' {
        It 'applies every update' {
            $shared = New-Network -LayerSizes 2, 64, 3 -Seed 3
            $alone = New-Network -LayerSizes 2, 64, 3 -Seed 3
            $grad = $shared | Invoke-Forward -InputObject $x -Target 0, 2 | Invoke-Backward
            $aloneGrad = $alone | Invoke-Forward -InputObject $x -Target 0, 2 | Invoke-Backward
            1..800 | ForEach-Object { $aloneGrad | Update-Network -LearningRate 1e-6 -Force }
            $start = $shared.Version
            $module = (Get-Module BackpropModule).Path
            1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:module
                $g = $using:grad
                1..200 | ForEach-Object { $g | Update-Network -LearningRate 1e-6 -Force }
            }
            $shared.Version - $start | Should -Be 800
            for ($i = 0; $i -lt $shared.Parameters.Count; $i++) {
                $shared.Parameters[$i].Value.BitwiseEquals($alone.Parameters[$i].Value) | Should -BeTrue
            }
        }
    }
}

Describe 'Test-Network' {
    Context 'Given a trained classifier' {
        BeforeAll {
            $data = New-Dataset -Kind Spiral -Count 50 -Seed 3
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $null = $net | Start-Training $data -Epochs 20 -Optimizer Adam -LearningRate 0.02 -Seed 1
            $result = $net | Test-Network -Data $data
        }
        It 'counts every sample once in the confusion matrix, its diagonal giving the accuracy' {
            $counts = $result.ConfusionMatrix.Counts
            $total = 0; foreach ($c in $counts) { $total += $c }
            $total | Should -Be 150
            $result.Accuracy | Should -Be (($counts[0, 0] + $counts[1, 1] + $counts[2, 2]) / 150)
        }
        It 'gives per-class figures with their support' {
            $result.Classes.Count | Should -Be 3
            $result.Classes[0].Support | Should -Be 50
        }
        It 'shows the confusion matrix and the per-class precision' {
            $text = Show { $result }
            $text | Should -Match 'Confusion matrix'
            $text | Should -Match 'Precision'
        }
    }
    Context 'Given a regression network' {
        It 'shows the mean absolute error' {
            Show { New-Network 1, 4, 1 -Output Identity -Seed 1 | Test-Network (New-Dataset Sine) } | Should -Match 'MAE'
        }
    }
    Context 'Given the real Fashion-MNIST' -Skip:(-not $hasFashion) {
        It 'reaches 80 % test accuracy after one epoch of 784-100-10 with Adam' {
            $folder = '/usr/share/datasets/fashion-mnist'
            $train = Import-IdxDataset -Path $folder -Name train
            $test = Import-IdxDataset -Path $folder -Name t10k
            $net = New-Network 784, 100, 10 -Activation ReLU -Output Softmax -Seed 1
            $record = $net | Start-Training $train -Epochs 1 -BatchSize 100 -Optimizer Adam -LearningRate 0.001 -Seed 1
            $record.TrainingLoss | Should -BeLessThan 1.0
            ($net | Test-Network -Data $test).Accuracy | Should -BeGreaterOrEqual 0.80
        }
    }
}
