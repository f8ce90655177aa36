# Pester 5 tests of training, optimizers, built-in datasets and evaluation, for pwsh users.
# Every scenario here is also covered by tests/BackpropModule.Tests/TrainingTests.cs.
BeforeDiscovery {
    $optimizerErrors = @(
        @{ Script = { New-Optimizer -Name SGD -Beta1 0.5 }; ErrorId = 'OptimizerSettingInvalid' }
        @{ Script = { New-Optimizer -Name Adam -Beta1 1.5 }; ErrorId = 'OptimizerSettingInvalid' }
        @{ Script = { New-Optimizer -Name Adamax }; ErrorId = 'OptimizerNameUnknown' }
        @{ Script = { New-Optimizer -Name Adam -LearningRate 0 }; ErrorId = 'LearningRateInvalid' }
    )
    $commands = 'Start-Training', 'Test-Network', 'New-Optimizer', 'New-Dataset'
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
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
        It 'writes one record per epoch and lowers the loss' {
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $log = $net | Start-Training $data -Epochs 30 -BatchSize 15 -Optimizer Adam -LearningRate 0.01 -Seed 2
            $log.Count | Should -Be 30
            $log[-1].TrainingLoss | Should -BeLessThan $log[0].TrainingLoss
        }
        It 'continues bit for bit with -Resume' {
            $a = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $b = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $null = $a | Start-Training $data -Epochs 4 -BatchSize 16 -Optimizer Adam -Seed 9
            $null = $b | Start-Training $data -Epochs 2 -BatchSize 16 -Optimizer Adam -Seed 9
            $null = $b | Start-Training $data -Epochs 2 -BatchSize 16 -Resume
            for ($i = 0; $i -lt $a.Parameters.Count; $i++) {
                $a.Parameters[$i].Value.BitwiseEquals($b.Parameters[$i].Value) | Should -BeTrue
            }
        }
    }
    Context 'Given data that does not fit' {
        It 'fails with DatasetFeatureMismatch' {
            $sine = New-Dataset -Kind Sine
            { New-Network -LayerSizes 2, 3 -Seed 1 | Start-Training $sine -Epochs 1 } | Should -Throw -ErrorId 'DatasetFeatureMismatch,*'
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
        It 'counts every sample once in the confusion matrix' {
            $data = New-Dataset -Kind Spiral -Count 50 -Seed 3
            $net = New-Network -LayerSizes 2, 20, 3 -Seed 1
            $null = $net | Start-Training $data -Epochs 20 -Optimizer Adam -LearningRate 0.02 -Seed 1
            $result = $net | Test-Network -Data $data
            $total = 0; foreach ($c in $result.ConfusionMatrix.Counts) { $total += $c }
            $total | Should -Be 150
            $result.Classes.Count | Should -Be 3
        }
    }
}

Describe 'Help' {
    It '<_> has at least two examples' -ForEach $commands {
        @((Get-Help $_ -Examples).examples.example).Count | Should -BeGreaterOrEqual 2
    }
}
