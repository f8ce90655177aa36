#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Gradient checks for every hidden activation x output combination, a deliberately broken gradient,
# and the Should -PassGradientCheck operator. Run with: Invoke-Pester ./tests/Gradients.Tests.ps1
# (build first). The Should operator is tested here only, in the Pester it extends.

BeforeDiscovery {
    $combinations = foreach ($activation in 'ReLU', 'Sigmoid', 'Tanh') {
        foreach ($output in 'Softmax', 'Identity', 'Sigmoid') {
            @{ Activation = $activation; Output = $output }
        }
    }
    $depths = @(
        @{ Name = 'one hidden layer'; Sizes = @(6, 5, 4) }
        @{ Name = 'two hidden layers'; Sizes = @(6, 5, 4, 4) }
        @{ Name = 'no hidden layer'; Sizes = @(6, 4) }
    )
}

BeforeAll {
    # -Force re-runs the module's loader, so the Should operator is registered even when the module
    # was imported before Pester in this session.
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force

    function New-Batch([string] $Output, [int] $Width = 6) {
        $rng = [System.Random]::new(7)
        $x = foreach ($i in 1..3) { , [double[]]@(foreach ($j in 1..$Width) { $rng.NextDouble() * 2 - 1 }) }
        $t = switch ($Output) {
            'Softmax' { @(2, 0, 3) }
            'Identity' { @(@(0.5, -1, 2, 0), @(1, 1, 0, -0.5), @(0, 0.2, -0.3, 1)) }
            'Sigmoid' { @(@(1, 0, 1, 1), @(0, 0, 1, 0), @(1, 1, 0, 0)) }
        }
        @{ InputObject = [double[][]] $x; Target = $t }
    }
}

Describe 'Test-Gradient' {
    Context 'Given a <Activation> network with a <Output> output' -ForEach $combinations {
        BeforeAll {
            $batch = New-Batch $Output
            $net = New-Network -LayerSizes 6, 5, 4, 4 -Activation $Activation -Output $Output -Seed 3
            $results = $net | Test-Gradient @batch
        }

        It 'reports one result per parameter' {
            $results.Parameter | Should -Be @('W1', 'b1', 'W2', 'b2', 'W3', 'b3')
        }

        It 'passes every parameter with a relative error of at most 1e-7' {
            foreach ($r in $results) {
                $r.Passed | Should -BeTrue -Because $r.Describe()
                $r.MaxRelError | Should -BeLessOrEqual 1e-7
                $r.Verdict | Should -Be 'Good'
            }
        }

        It 'passes the Should operator' {
            $net | Invoke-Forward @batch | Should -PassGradientCheck
        }
    }

    Context 'Given a network with <Name>' -ForEach $depths {
        It 'passes at any depth' {
            $batch = New-Batch 'Softmax'
            $net = New-Network -LayerSizes $Sizes -Activation Tanh -Output Softmax -Seed 2
            ($net | Test-Gradient @batch -Summary).Passed | Should -BeTrue
        }
    }

    Context 'Given a gradient broken at dW1[5,7]' {
        BeforeAll {
            $batch = New-Batch 'Softmax' -Width 10
            $net = New-Network -LayerSizes 10, 8, 4 -Activation Sigmoid -Output Softmax -Seed 5
            $broken = $net | Invoke-Forward @batch | Invoke-Backward
            $broken.dW1[5, 7] += 1e-3
        }

        It 'names W1, row 5 and column 7 as the worst element' {
            $w1 = $broken | Test-Gradient -ParameterName W1
            $w1.Passed | Should -BeFalse
            $w1.WorstRow | Should -Be 5
            $w1.WorstColumn | Should -Be 7
        }

        It 'throws GradientCheckFailed with -Assert' {
            { $broken | Test-Gradient -Assert } | Should -Throw -ErrorId 'GradientCheckFailed,*'
        }

        It 'fails the Should operator' {
            $broken | Should -Not -PassGradientCheck
        }
    }

    Context 'Given a check that is stopped or completes' {
        It 'leaves every parameter bit for bit and the Version unchanged' {
            $batch = New-Batch 'Softmax'
            $net = New-Network -LayerSizes 6, 5, 4 -Activation ReLU -Output Softmax -Seed 9
            $before = foreach ($p in $net.Parameters) { $p.Value.Clone() }
            $version = $net.Version
            $null = $net | Test-Gradient @batch -Epsilon 0.05
            for ($i = 0; $i -lt $before.Count; $i++) { $net.Parameters[$i].Value.BitwiseEquals($before[$i]) | Should -BeTrue }
            $net.Version | Should -Be $version
        }
    }
}
Describe 'Should -PassGradientCheck' {
    BeforeAll {
        $x = @(@(0.1, -0.2, 0.3, 0.4, 0.9, -1), @(-1, 0.5, 2, 0, 1, 1), @(0.3, 0.3, -0.7, 0.2, 0, 0.5))
        $net = New-Network -LayerSizes 6, 8, 4 -Activation Sigmoid -Output Softmax -Seed 5
        $pass = $net | Invoke-Forward -InputObject $x -Target 2, 0, 3
        $good = $pass | Invoke-Backward
        $broken = $pass | Invoke-Backward
        $broken.dW1[5, 7] += 1e-3
    }
    Context 'Given a correct gradient as <Form>' -ForEach @(
        @{ Form = 'a forward pass'; Make = { $pass } }
        @{ Form = 'gradients'; Make = { $good } }
        @{ Form = 'the results of Test-Gradient'; Make = { $net | Test-Gradient -InputObject $x -Target 2, 0, 3 } }
        @{ Form = 'a Test-Gradient summary'; Make = { $good | Test-Gradient -Summary } }
    ) {
        It 'passes' {
            & $Make | Should -PassGradientCheck
        }
    }
    Context 'Given a gradient broken at dW1[5,7]' {
        It 'fails naming the parameter, row, column and both values, with the reason' {
            { $broken | Should -PassGradientCheck -Because 'backprop must be right' } |
                Should -Throw -ExpectedMessage '*because backprop must be right*dW1 at row 5, column 7*analytic*numerical*'
        }
        It 'passes with a tolerance every finite relative error meets' {
            # |a - n| / max(|a|, |n|) of finite values never exceeds 2.
            $broken | Should -PassGradientCheck 5
        }
    }
    Context 'Given something that is not a pass, gradients or a check result' {
        It 'fails and says what it needs' {
            { $net | Should -PassGradientCheck } | Should -Throw -ExpectedMessage '*needs a ForwardPass*'
        }
    }
}
