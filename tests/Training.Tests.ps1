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
        It 'fails with TrainingDiverged and leaves finite weights' {
            $sine = New-Dataset -Kind Sine
            $net = New-Network -LayerSizes 1, 3, 1 -Activation Sigmoid -Output Identity -Seed 1
            { $net | Start-Training $sine -Epochs 50 -BatchSize 1 -LearningRate 1e6 -NoShuffle } | Should -Throw -ErrorId 'TrainingDiverged,*'
            foreach ($p in $net.Parameters) { $p.Value.FindNonFinite() | Should -BeNullOrEmpty }
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
