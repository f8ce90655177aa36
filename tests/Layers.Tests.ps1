#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Batch Normalization and Dropout as users type them: New-Network -BatchNorm -Dropout, training and
# inference passes, the new gradients, running statistics that move only with a step, Test-Gradient,
# training and evaluation. Engine details: tests/BackpropModule.Engine.Tests/Layers/BatchNorm*Tests.cs.

BeforeDiscovery {
    $checked = @(
        @{ Activation = 'ReLU'; Layout = 'BatchNorm and Dropout'; BatchNorm = $true; Dropout = @(0.3) }
        @{ Activation = 'Tanh'; Layout = 'BatchNorm'; BatchNorm = $true; Dropout = @(0) }
        @{ Activation = 'Sigmoid'; Layout = 'Dropout per block'; BatchNorm = $false; Dropout = @(0.2, 0.5) }
    )
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    $spiral = New-Dataset -Kind Spiral -Count 20 -Seed 3
}

Describe 'New-Network -BatchNorm -Dropout' {
    Context 'Given a 2-16-8-3 network with BatchNorm and Dropout 0.2' {
        BeforeAll {
            $net = New-Network 2, 16, 8, 3 -BatchNorm -Dropout 0.2 -Seed 1
            $plain = New-Network 2, 16, 8, 3 -Seed 1
        }

        It 'orders the parameters block by block, gamma and beta after W and b' {
            $net.Parameters.Name | Should -Be @('W1', 'b1', 'gamma1', 'beta1', 'W2', 'b2', 'gamma2', 'beta2', 'W3', 'b3')
        }

        It 'draws the same weights as the network without them' {
            $net.Parameters[0].Value.ToArray()[1] | Should -Be $plain.Parameters[0].Value.ToArray()[1]
            $net.Parameters[4].Value.ToArray()[7] | Should -Be $plain.Parameters[2].Value.ToArray()[7]
        }

        It 'describes itself in one line and step by step' {
            $net.Architecture | Should -Be '2-16-8-3 BatchNorm ReLU Dropout 0.2 → Softmax/CrossEntropy'
            $net.Chain | Should -Be '2 → Affine 16 → BatchNorm → ReLU → Dropout 0.2 → Affine 8 → BatchNorm → ReLU → Dropout 0.2 → Affine 3 → Softmax'
            $net.Blocks.Count | Should -Be 3
        }

        It 'starts the running statistics at 0 and 1' {
            $net.BatchNorm[0].RunningMean.ToArray()[0] | Should -Be (@(0) * 16)
            $net.BatchNorm[1].RunningVariance.ToArray()[0] | Should -Be (@(1) * 8)
        }

        It 'prints within 80 columns' {
            $lines = ($net | Out-String -Width 80) -split "`n"
            ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 80
        }
    }

    Context 'Given parameter values with gamma and beta' {
        It 'puts BatchNorm where gammaK and betaK are given, and dropout from -Dropout' {
            $net = New-Network -Output Identity -Dropout 0.1 -Parameters @{
                W1 = @(@(1, 2), @(3, 4)); b1 = 0, 0; gamma1 = 2, 3; beta1 = 0.5, -0.5; W2 = @(@(1), @(-1)); b2 = @(0.1)
            }
            $net.Chain | Should -Be '2 → Affine 2 → BatchNorm → ReLU → Dropout 0.1 → Affine 1 → Identity'
            $net.BatchNorm[0].Gamma.Value.ToArray()[0] | Should -Be @(2, 3)
        }

        It 'takes RunningMeanK and RunningVarianceK, so a trained network rebuilt from its parts predicts the same' {
            $trained = New-Network 2, 6, 3 -BatchNorm -Seed 2
            $null = $trained | Start-Training -TrainingData $spiral -Epochs 2 -BatchSize 10 -Seed 1
            $parts = @{}
            foreach ($p in $trained.Parameters) { $parts[$p.Name] = $p.Value }
            $parts.RunningMean1 = $trained.BatchNorm[0].RunningMean.ToArray()[0]
            $parts.RunningVariance1 = $trained.BatchNorm[0].RunningVariance
            $rebuilt = New-Network -Parameters $parts
            $expected = ($trained | Invoke-Forward $spiral -Inference).Output.ToArray()
            ($rebuilt | Invoke-Forward $spiral -Inference).Output.ToArray() | Should -Be $expected
        }

        It 'sets running statistics with Set-NetworkParameter and refuses a negative variance, changing nothing' {
            $net = New-Network 2, 6, 3 -BatchNorm -Seed 2
            $net | Set-NetworkParameter RunningVariance1 (1..6)
            $net.BatchNorm[0].RunningVariance.ToArray()[0] | Should -Be (1..6)
            { $net | Set-NetworkParameter -Parameters @{ W2 = [double[][]]@(, @(0, 0, 0)) * 6; RunningVariance1 = 1, 1, -1, 1, 1, 1 } } |
                Should -Throw -ErrorId 'RunningStatisticsInvalid,*'
            $net.BatchNorm[0].RunningVariance.ToArray()[0] | Should -Be (1..6)
            $net.Parameters[4].Value.ToArray()[0][0] | Should -Not -Be 0
        }

        It 'refuses gamma1 without beta1' {
            { New-Network -Parameters @{ W1 = @(@(1, 2), @(3, 4)); b1 = 0, 0; gamma1 = 2, 3; W2 = @(@(1), @(-1)); b2 = @(0.1) } } |
                Should -Throw -ErrorId 'ParameterMissing,*'
        }
    }

    Context 'Given options that do not fit' {
        It 'refuses a dropout rate of 1' {
            { New-Network 2, 4, 3 -Dropout 1 } | Should -Throw -ErrorId 'DropoutRateInvalid,*'
        }

        It 'refuses three rates for two hidden blocks' {
            { New-Network 2, 4, 4, 3 -Dropout 0.1, 0.2, 0.3 } | Should -Throw -ErrorId 'LayerOptionsMismatch,*'
        }

        It 'refuses BatchNorm without a hidden block' {
            { New-Network 2, 3 -BatchNorm } | Should -Throw -ErrorId 'LayerOptionsMismatch,*'
        }
    }
}

Describe 'Invoke-Forward on a network with BatchNorm and Dropout' {
    BeforeAll { $net = New-Network 2, 16, 3 -BatchNorm -Dropout 0.5 -Seed 2 }

    Context 'Given no mode' {
        It 'runs in training mode and records a fresh dropout seed' {
            $pass = $net | Invoke-Forward $spiral
            $pass.Mode | Should -Be 'Training'
            $pass.DropoutSeed | Should -Not -BeNullOrEmpty
            $pass.ValueNames | Should -Be @('x1', 'a1', 'mean1', 'var1', 'invstd1', 'xhat1', 'bn1', 'z1', 'mask1', 'drop1', 'x2', 'a2', 'z2', 'y', 't')
        }

        It 'reproduces the pass from its seed' {
            $pass = $net | Invoke-Forward $spiral
            $again = $net | Invoke-Forward $spiral -Seed $pass.DropoutSeed
            $again.y.ToArray() | Should -Be $pass.y.ToArray()
            $again.mask1.ToArray() | Should -Be $pass.mask1.ToArray()
        }
    }

    Context 'Given a batch BatchNorm cannot normalise in training mode' {
        It 'warns for <Case>, and not in inference mode' -ForEach @(
            @{ Case = 'one sample'; Rows = @(, @(0.5, -0.2)); Pattern = 'single sample' }
            @{ Case = 'values whose variance overflows'; Rows = @(@(1e200, 1), @(-1e200, 2)); Pattern = 'not finite' }
        ) {
            $x = [double[][]]$Rows
            $null = $net | Invoke-Forward $x -WarningVariable warned -WarningAction SilentlyContinue
            "$warned" | Should -Match $Pattern
            $null = $net | Invoke-Forward $x -Inference -WarningVariable quiet -WarningAction SilentlyContinue
            $quiet | Should -BeNullOrEmpty
        }
        It 'does not warn for an ordinary batch' {
            $null = $net | Invoke-Forward $spiral -WarningVariable quiet -WarningAction SilentlyContinue
            $quiet | Should -BeNullOrEmpty
        }
    }

    Context 'Given -Inference' {
        It 'keeps every unit and normalises with the running statistics' {
            $pass = $net | Invoke-Forward $spiral -Inference
            $pass.Mode | Should -Be 'Inference'
            $pass.mask1 | Should -BeNullOrEmpty
            $pass.mean1.ToArray()[0] | Should -Be $net.BatchNorm[0].RunningMean.ToArray()[0]
        }
    }
}

Describe 'Gradients and updates of BatchNorm' {
    Context 'Given a pass backpropagated and applied with Update-Network' {
        BeforeAll {
            $net = New-Network 2, 6, 3 -BatchNorm -Seed 4
            $pass = $net | Invoke-Forward $spiral -Seed 1
            $grad = $pass | Invoke-Backward
        }

        It 'shows dgamma1 and dbeta1 like dW1' {
            $grad.dgamma1.Shape | Should -Be '1x6'
            $grad.dbeta1.Shape | Should -Be '1x6'
            $grad.dbn1.Shape | Should -Be '60x6'
        }

        It 'leaves the running statistics alone in a pass and folds them with the step' {
            $net.BatchNorm[0].RunningMean.ToArray()[0] | Should -Be (@(0) * 6)
            $grad | Update-Network -LearningRate 0.1
            $expected = $pass.mean1.ToArray()[0] | ForEach-Object { 0.1 * $_ }
            $actual = $net.BatchNorm[0].RunningMean.ToArray()[0]
            for ($j = 0; $j -lt 6; $j++) { $actual[$j] | Should -BeGreaterOrEqual ($expected[$j] - 1e-15); $actual[$j] | Should -BeLessOrEqual ($expected[$j] + 1e-15) }
        }

        It 'folds nothing when the update is refused' {
            $before = $net.BatchNorm[0].RunningMean.ToArray()[0]
            { $grad | Update-Network } | Should -Throw -ErrorId 'GradientStale,*'
            $net.BatchNorm[0].RunningMean.ToArray()[0] | Should -Be $before
        }

        It 'sets gamma1 with Set-NetworkParameter' {
            $net | Set-NetworkParameter -Name gamma1 -Value @(2, 2, 2, 2, 2, 2)
            $net.BatchNorm[0].Gamma.Value.ToArray()[0] | Should -Be @(2, 2, 2, 2, 2, 2)
        }
    }
}

Describe 'Test-Gradient through BatchNorm and Dropout' {
    Context 'Given a <Activation> network with <Layout>' -ForEach $checked {
        BeforeAll {
            $net = New-Network 2, 7, 5, 3 -Activation $Activation -BatchNorm:$BatchNorm -Dropout $Dropout -Seed 5
            $fromPass = $net | Invoke-Forward $spiral -Seed 9 | Invoke-Backward | Test-Gradient
            $fromScratch = $net | Test-Gradient -InputObject $spiral
        }

        It 'passes every parameter at 1e-7 with the gradients of a pass (its masks)' {
            foreach ($r in $fromPass) { $r.MaxRelError | Should -BeLessOrEqual 1e-7 -Because $r.Parameter }
            $fromPass.Count | Should -Be $net.Parameters.Count
        }

        It 'passes every parameter at 1e-7 from scratch (training mode, masks from -Seed)' {
            foreach ($r in $fromScratch) { $r.MaxRelError | Should -BeLessOrEqual 1e-7 -Because $r.Parameter }
        }
    }
}

Describe 'Training and evaluating with BatchNorm and Dropout' {
    Context 'Given the spiral and 40 epochs of Adam' {
        It 'learns it, and Test-Network evaluates in inference mode' {
            $data = New-Dataset -Kind Spiral -Count 100 -Seed 1
            $net = New-Network 2, 32, 32, 3 -BatchNorm -Dropout 0.1 -Seed 2
            $null = $net | Start-Training -TrainingData $data -Epochs 40 -BatchSize 30 -Optimizer Adam -LearningRate 0.01 -Seed 1
            $result = $net | Test-Network -Data $data
            $result.Accuracy | Should -BeGreaterThan 0.85
            $inference = ($net | Invoke-Forward $data -Inference).Loss
            [math]::Abs($result.Loss - $inference) | Should -BeLessThan 1e-9
            $net.BatchNorm[0].RunningMean.ToArray()[0] | Where-Object { $_ -ne 0 } | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Given BatchNorm and batches of one sample' {
        It 'refuses to train (every unit would normalise to 0) and changes nothing' {
            $net = New-Network 2, 8, 3 -BatchNorm -Seed 2
            { $net | Start-Training -TrainingData $spiral -Epochs 1 -BatchSize 1 -Seed 1 } | Should -Throw -ErrorId 'TrainingOptionInvalid,*'
            $net.Version | Should -Be 0
            $net.Checkpoint | Should -BeNullOrEmpty
            $net.IsTraining | Should -BeFalse
        }
    }

    Context 'Given a regression network with BatchNorm and Dropout' {
        It 'draws its fit from inference-mode predictions' {
            $sine = New-Dataset -Kind Sine
            $net = New-Network 1, 8, 1 -Output Identity -BatchNorm -Dropout 0.1 -Seed 1
            $path = Join-Path $TestDrive 'fit.png'
            $net | Export-Plot -Path $path -Data $sine -Kind RegressionFit
            (Get-Item $path).Length | Should -BeGreaterThan 0
            ($net | Show-Plot -Data $sine -NoColor | Out-String) | Should -Match 'untrained'
        }
    }
}
