#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Gradient checks for every hidden activation x output combination, a deliberately broken gradient,
# and the Should -PassGradientCheck operator. Run with: Invoke-Pester ./tests/Gradients.Tests.ps1
# (build first). The Should operator is tested here only, in the Pester it extends. Error-record
# details, progress and Stop() are hosted: tests/BackpropModule.Tests/GradientCheckTests.cs.

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
        It 'passes again after training has lowered the loss' {
            $batch = New-Batch 'Softmax'
            $net = New-Network -LayerSizes $Sizes -Activation Tanh -Output Softmax -Seed 2
            $before = ($net | Invoke-Forward @batch).Loss
            foreach ($i in 1..20) { $net | Invoke-Forward @batch | Invoke-Backward | Update-Network -LearningRate 0.5 }
            ($net | Invoke-Forward @batch).Loss | Should -BeLessThan $before
            ($net | Test-Gradient @batch -Summary).Passed | Should -BeTrue
            $net.Version | Should -Be 20
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
            $w1.Worst | Should -Be '(5,7)'
            $w1.Analytic - $w1.Numerical | Should -BeGreaterThan (1e-3 - 1e-9)
            $w1.Analytic - $w1.Numerical | Should -BeLessThan (1e-3 + 1e-9)
        }

        It 'passes the other parameters and names W1 in the summary' {
            $results = $broken | Test-Gradient
            $results[1..3].Passed | Should -Be @($true, $true, $true)
            $summary = $broken | Test-Gradient -Summary
            $summary.Passed | Should -BeFalse
            $summary.WorstParameter | Should -Be 'W1'
        }

        It 'throws GradientCheckFailed with -Assert' {
            { $broken | Test-Gradient -Assert } | Should -Throw -ErrorId 'GradientCheckFailed,*'
        }

        It 'fails the Should operator' {
            $broken | Should -Not -PassGradientCheck
        }
    }

    Context 'Given a check that passes' {
        It 'is silent with -Assert' {
            $batch = New-Batch 'Identity'
            $summary = New-Network -LayerSizes 6, 4, 4 -Activation ReLU -Output Identity -Seed 2 | Test-Gradient @batch -Assert -Summary -ErrorVariable errors
            $summary.Passed | Should -BeTrue
            $errors | Should -BeNullOrEmpty
        }
    }

    Context 'Given gradients without the data they were computed from' {
        BeforeAll {
            $batch = New-Batch 'Softmax'
            $net = New-Network -LayerSizes 6, 3, 4 -Activation Sigmoid -Output Softmax -Seed 1
            $grad = $net | Invoke-Forward @batch | Invoke-Backward
            $copy = [BackpropModule.Engine.Gradients]::FromValues($net, [BackpropModule.Engine.Tensors.Tensor[]]@($grad.dW1, $grad.db1, $grad.dW2, $grad.db2))
        }
        It 'refuses them with GradientCheckDataMissing' {
            { $copy | Test-Gradient -ErrorAction Stop } | Should -Throw -ErrorId 'GradientCheckDataMissing,*'
        }
        It 'refuses an input without a target with GradientCheckDataMissing' {
            { $grad | Test-Gradient -InputObject $batch.InputObject -ErrorAction Stop } | Should -Throw -ErrorId 'GradientCheckDataMissing,*'
        }
        It 'checks them with -InputObject and -Target' {
            ($copy | Test-Gradient @batch -Summary).Passed | Should -BeTrue
        }
    }

    Context 'Given gradients of a network updated since' {
        BeforeAll {
            $batch = New-Batch 'Softmax'
            $net = New-Network -LayerSizes 6, 3, 4 -Seed 1
            $stale = $net | Invoke-Forward @batch | Invoke-Backward
            $net | Update-Network -Gradient $stale
        }
        It 'reports GradientStale and goes on without -Assert' {
            $results = $stale | Test-Gradient -ErrorAction SilentlyContinue -ErrorVariable errors
            $results | Should -BeNullOrEmpty
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'GradientStale,*'
        }
        It 'stops with GradientStale with -Assert, even where errors would go on' {
            { $stale | Test-Gradient -Assert -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'GradientStale,*'
        }
    }

    Context 'Given -Sample and -Seed' {
        BeforeAll {
            $batch = New-Batch 'Softmax' -Width 30
            $grad = New-Network -LayerSizes 30, 20, 4 -Activation Tanh -Output Softmax -Seed 1 | Invoke-Forward @batch | Invoke-Backward
            $a = $grad | Test-Gradient -Sample 15 -Seed 4
            $b = $grad | Test-Gradient -Sample 15 -Seed 4
        }
        It 'checks that many elements of each parameter, or all of a smaller one' {
            $a.Checked | Should -Be @(15, 15, 15, 4)
        }
        It 'checks the same elements again for the same seed' {
            $b.Worst | Should -Be $a.Worst
            $b.MeanAbsError | Should -Be $a.MeanAbsError
        }
    }

    Context 'Given -ParameterName' {
        It 'checks only the parameters named, in network order, a gradient''s name standing for its parameter' {
            $batch = New-Batch 'Softmax'
            (New-Network -LayerSizes 6, 3, 4 -Seed 1 | Test-Gradient @batch -ParameterName db2, W1).Parameter | Should -Be @('W1', 'b2')
        }
    }

    Context 'Given its default views' {
        BeforeAll {
            $batch = New-Batch 'Softmax'
            $net = New-Network -LayerSizes 6, 3, 4 -Seed 1
            function Show([scriptblock] $Script) { (& $Script | Out-String -Width 80) -replace '\x1b\[[0-9;]*m', '' }
        }
        It 'shows a table with the documented columns' {
            $text = Show { $net | Test-Gradient @batch }
            foreach ($column in 'Parameter', 'Shape', 'MaxRelError', 'MeanAbsError', 'Worst', 'Kinks', 'Verdict', 'Passed') { $text | Should -Match $column }
            $text | Should -Match '3x4'
            $text | Should -Match 'Good'
        }
        It 'shows the summary with the architecture, the verdict and the worst element' {
            $text = Show { $net | Test-Gradient @batch -Summary }
            foreach ($label in 'Architecture', 'Passed', 'WorstParameter', 'MaxRelError', 'Verdict', 'Worst', 'Checked', 'Kinks', 'Elapsed') { $text | Should -Match $label }
            $text | Should -Match '6-3-4'
        }
        It 'declares both types it writes' {
            (Get-Command Test-Gradient).OutputType.Name | Should -Be @('BackpropModule.Engine.Checking.GradientCheckResult', 'BackpropModule.Engine.Checking.GradientCheckSummary')
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
