# Pester 5: New-Network, Invoke-Forward, Invoke-Backward and Update-Network as a user types them:
# every input form, refusals by ErrorId, what each writes and how it looks (error-record details: FoundationErrorTests.cs).

BeforeDiscovery {
    $badInputs = @(
        @{ Name = 'a sample of the wrong width'; MakeInput = { , @(1, 2) }; Target = $null; ErrorId = 'InputShapeMismatch' }
        @{ Name = 'a NaN in the input'; MakeInput = { , @(1, [double]::NaN, 3) }; Target = $null; ErrorId = 'InputNotFinite' }
        @{ Name = 'an empty input'; MakeInput = { , @() }; Target = $null; ErrorId = 'InputEmpty' }
        @{ Name = 'a class index out of range'; MakeInput = { , @(1, 2, 3) }; Target = 3; ErrorId = 'TargetClassOutOfRange' }
        @{ Name = 'a target of the wrong shape'; MakeInput = { , @(1, 2, 3) }; Target = @(, @(1, 0, 0, 0)); ErrorId = 'TargetShapeMismatch' }
        @{ Name = 'a NaN in the target'; MakeInput = { , @(1, 2, 3) }; Target = @(, @(0, [double]::NaN, 1)); ErrorId = 'TargetNotFinite' }
    )
    $badSizes = @(
        @{ Sizes = @(3); ErrorId = 'LayerSizesTooFew' }
        @{ Sizes = @(3, 0, 2); ErrorId = 'LayerSizeInvalid' }
        # Issue 10 D8: sizes whose rows x columns overflow an int, or exceed the parameter budget.
        @{ Sizes = @(100000, 100000); ErrorId = 'LayerSizeInvalid' }
        @{ Sizes = @(46341, 46341); ErrorId = 'LayerSizeInvalid' }
        @{ Sizes = @(65537, 65537); ErrorId = 'LayerSizeInvalid' }
        @{ Sizes = @(3, 65536, 65536, 3); ErrorId = 'LayerSizeInvalid' }
        @{ Sizes = @(20000, 20000); ErrorId = 'LayerSizeInvalid' }
    )
    $inputForms = @(
        @{ Form = 'a tensor'; MakeX = { (New-Network -LayerSizes 3, 2 -Seed 4).Parameters[0].Value } }
        @{ Form = 'double[][]'; MakeX = { [double[][]]@([double[]]@(0.5, -1), [double[]]@(2, 0.25), [double[]]@(3, 1)) } }
        @{ Form = 'double[,]'; MakeX = { $a = [double[,]]::new(3, 2); $a[0, 0] = 0.5; $a[0, 1] = -1; $a[1, 0] = 2; $a[1, 1] = 0.25; $a[2, 0] = 3; $a[2, 1] = 1; , $a } }
        @{ Form = 'arrays of arrays'; MakeX = { , @(@(0.5, -1), @(2, 0.25), @(3, 1)) } }
        @{ Form = 'int arrays'; MakeX = { , @([int[]]@(1, -1), [int[]]@(2, 0), [int[]]@(3, 1)) } }
        @{ Form = 'a MathNet matrix'; MakeX = { (New-Network -LayerSizes 3, 2 -Seed 4).Parameters[0].Value.Matrix } }
    )
    $declared = @(
        @{ Command = 'New-Network'; Type = 'BackpropModule.Engine.Network' }
        @{ Command = 'Invoke-Forward'; Type = 'BackpropModule.Engine.ForwardPass' }
        @{ Command = 'Invoke-Backward'; Type = 'BackpropModule.Engine.Gradients' }
        @{ Command = 'Update-Network'; Type = 'BackpropModule.Engine.Network' }
    )
}

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BackpropModule', 'BackpropModule.psd1')) -Force
    function Get-Bits($Network) {
        ($Network.Parameters | ForEach-Object { $_.Value.ToArray() | ForEach-Object { $_ | ForEach-Object { [BitConverter]::DoubleToInt64Bits($_) } } }) -join ','
    }
}

Describe 'Forward, backward, update' {
    Context 'Given a 3-4-3 network and one sample' {
        BeforeEach {
            $net = New-Network -LayerSizes 3, 4, 3 -Seed 1
            $pass = $net | Invoke-Forward -InputObject 0.5, -1.0, 2.0 -Target 1
        }

        It 'gives gradients shaped like the parameters' {
            $grad = $pass | Invoke-Backward
            foreach ($p in $net.Parameters) { $grad.($p.GradientName).Shape | Should -Be $p.Shape }
        }

        It 'gives db2 = y - t for one sample' {
            $grad = $pass | Invoke-Backward
            for ($k = 0; $k -lt 3; $k++) {
                $grad.db2[0, $k] | Should -BeExactly ($pass.Output[0, $k] - $pass.Target[0, $k])
            }
        }

        It 'lowers the loss with one step of gradient descent piped from the gradients' {
            $pass | Invoke-Backward | Update-Network -LearningRate 0.1
            ($net | Invoke-Forward -InputObject 0.5, -1.0, 2.0 -Target 1).Loss | Should -BeLessThan $pass.Loss
        }

        It 'refuses a stale pass' {
            $pass | Invoke-Backward | Update-Network
            { $pass | Invoke-Backward } | Should -Throw -ErrorId 'ForwardPassStale,*'
        }

        It 'refuses stale gradients unless forced' {
            $grad = $pass | Invoke-Backward
            $grad | Update-Network
            { $grad | Update-Network } | Should -Throw -ErrorId 'GradientStale,*'
            { $grad | Update-Network -Force } | Should -Not -Throw
        }

        It 'refuses backward without a target' {
            { $net | Invoke-Forward -InputObject 1, 2, 3 | Invoke-Backward } | Should -Throw -ErrorId 'TargetMissing,*'
        }

        It 'applies w - lr * g with named gradients, and -PassThru gives back the same network' {
            $w = $net.Parameters[0].Value[1, 2]
            $grad = $pass | Invoke-Backward
            $out = $net | Update-Network -Gradient $grad -LearningRate 0.25 -PassThru
            $net.Parameters[0].Value[1, 2] | Should -BeExactly ($w - 0.25 * $grad.dW1[1, 2])
            [object]::ReferenceEquals($out, $net) | Should -BeTrue
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-Bits $net
            $grad = $pass | Invoke-Backward
            $null = $grad | Update-Network -WhatIf -PassThru
            Get-Bits $net | Should -BeExactly $before
            $net.Version | Should -Be 0
            $grad.IsStale | Should -BeFalse
        }
    }

    Context 'Given the input as <Form>' -ForEach $inputForms {
        It 'reads the same 3x2 batch, element for element' {
            $x = & $MakeX
            $pass = New-Network -LayerSizes 2, 4, 3 -Seed 1 | Invoke-Forward -InputObject $x
            $pass.Input.Shape | Should -Be '3x2'
            $jagged = $x -is [array] -and $x.Rank -eq 1
            for ($i = 0; $i -lt 3; $i++) {
                for ($j = 0; $j -lt 2; $j++) {
                    $expected = if ($jagged) { $x[$i][$j] } else { $x[$i, $j] }
                    $pass.Input[$i, $j] | Should -BeExactly ([double]$expected)
                }
            }
        }
    }

    Context 'Given a flat array with a negative literal' {
        It 'reads one sample, the same as an array of doubles' {
            $net = New-Network -LayerSizes 3, 4, 3 -Seed 1
            $a = $net | Invoke-Forward -InputObject 0.5, -1, 2
            $b = $net | Invoke-Forward -InputObject @(0.5, -1.0, 2.0)
            $a.Input.Shape | Should -Be '1x3'
            $a.Input[0, 1] | Should -BeExactly ([double] -1)
            $a.Output.BitwiseEquals($b.Output) | Should -BeTrue
        }
    }

    Context 'Given targets as one-hot rows, class indices or a single index' {
        It 'gives the same loss for each form' {
            $net = New-Network -LayerSizes 3, 4, 3 -Seed 1
            $x = @(@(1, 2, 3), @(-1, 0.5, 0))
            $oneHot = $net | Invoke-Forward -InputObject $x -Target @(@(0, 0, 1), @(1, 0, 0))
            ($net | Invoke-Forward -InputObject $x -Target 2, 0).Loss | Should -BeExactly $oneHot.Loss
            ($net | Invoke-Forward -InputObject $x -Target 2, 0).Target.ToArray()[0] | Should -Be 0, 0, 1
            ($net | Invoke-Forward -InputObject 1, 2, 3 -Target 2).Loss | Should -BeExactly ($net | Invoke-Forward -InputObject 1, 2, 3 -Target 0, 0, 1).Loss
        }
    }

    Context 'Given <Name>' -ForEach $badInputs {
        It 'stops with <ErrorId> and leaves the network unchanged' {
            $net = New-Network -LayerSizes 3, 4, 3 -Seed 1
            $before = Get-Bits $net
            $x = & $MakeInput
            if ($null -ne $Target) {
                { $net | Invoke-Forward -InputObject $x -Target $Target } | Should -Throw -ErrorId "$ErrorId,*"
            }
            else {
                { $net | Invoke-Forward -InputObject $x } | Should -Throw -ErrorId "$ErrorId,*"
            }
            Get-Bits $net | Should -BeExactly $before
        }
    }

    Context 'Given layer sizes <Sizes>' -ForEach $badSizes {
        It 'stops with <ErrorId>' {
            { New-Network -LayerSizes $Sizes } | Should -Throw -ErrorId "$ErrorId,*"
        }
    }

    Context 'Given a seed' {
        It 'draws bitwise the same weights every time, and other weights for another seed' {
            Get-Bits (New-Network -LayerSizes 6, 5, 4 -Seed 11) | Should -BeExactly (Get-Bits (New-Network -LayerSizes 6, 5, 4 -Seed 11))
            Get-Bits (New-Network -LayerSizes 6, 5, 4 -Seed 12) | Should -Not -Be (Get-Bits (New-Network -LayerSizes 6, 5, 4 -Seed 11))
        }
    }

    Context 'Given no seed' {
        It 'records the seed it drew' {
            (New-Network -LayerSizes 6, 5, 4).Seed | Should -BeOfType [long]
        }
    }
}

Describe 'What each cmdlet writes' {
    It '<Command> declares <Type> and writes it' -ForEach $declared {
        (Get-Command -Name $Command -Module BackpropModule).OutputType.Name | Should -Be $Type
        $net = New-Network -LayerSizes 3, 4, 3 -Seed 1
        $written = switch ($Command) {
            'New-Network' { $net }
            'Invoke-Forward' { $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0 }
            'Invoke-Backward' { $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0 | Invoke-Backward }
            'Update-Network' { $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0 | Invoke-Backward | Update-Network -PassThru }
        }
        $written.GetType().FullName | Should -Be $Type
    }

    It 'writes exactly one object per input, and none for an update without -PassThru' {
        $a = New-Network -LayerSizes 3, 4, 3 -Seed 1
        $b = New-Network -LayerSizes 3, 4, 3 -Seed 2
        $passes = @($a, $b | Invoke-Forward -InputObject @(@(1, 2, 3), @(4, 5, 6)) -Target 0, 1)
        $passes.Count | Should -Be 2
        $grads = @($passes | Invoke-Backward)
        $grads.Count | Should -Be 2
        @($grads | Update-Network -PassThru).Count | Should -Be 2
        @($grads | Update-Network -Force).Count | Should -Be 0
        @($passes[0].Layers).Count | Should -Be 2
    }

    It 'keeps a tensor whole on the pipeline' {
        $pass = New-Network -LayerSizes 3, 4, 3 -Seed 1 | Invoke-Forward -InputObject @(@(1, 2, 3), @(4, 5, 6)) -Target 0, 1
        $grad = $pass | Invoke-Backward
        @($grad.dW1 | ForEach-Object { $_.Shape }) | Should -Be '3x4'
        @($pass.Output | ForEach-Object { $_.Shape }) | Should -Be '2x3'
    }
}

Describe 'Default views' {
    Context 'Given a 784-50-10 network and a batch of 100' {
        BeforeAll {
            $net = New-Network -LayerSizes 784, 50, 10 -Activation Sigmoid -Seed 1
            $rng = [System.Random]::new(5)
            $x = [double[][]]::new(100)
            for ($i = 0; $i -lt 100; $i++) { $row = [double[]]::new(784); for ($j = 0; $j -lt 784; $j++) { $row[$j] = $rng.NextDouble() }; $x[$i] = $row }
            $pass = $net | Invoke-Forward -InputObject $x -Target ([int[]](0..99 | ForEach-Object { $_ % 10 }))
            $grad = $pass | Invoke-Backward
            # What a console of 120 columns shows, without the ANSI styling of table headers.
            function Show([scriptblock] $Script) { (& $Script | Out-String -Width 120) -replace '\x1b\[[0-9;]*m', '' }
        }

        It 'shows the network''s architecture and a table of layers' {
            $text = Show { $net }
            $text | Should -BeLike '*Network      784-50-10 Sigmoid → Softmax/CrossEntropy*'
            $text | Should -BeLike '*Parameters   39,760, init Xavier, seed 1*'
            $text | Should -Match 'Layer\s+Kind\s+Inputs\s+Outputs\s+Parameters\s+Count'
            $text | Should -BeLike '*W1 784x50, b1 1x50*'
            $text | Should -BeLike '*Affine+Softmax*'
        }

        It 'shows the forward pass with its loss, shapes and layers' {
            $text = Show { $pass }
            foreach ($heading in 'ForwardPass', 'CrossEntropy, mean over 100 sample(s)', 'Accuracy', 'Input        100x784', 'Output       100x10', 'Stale        no', 'PreActivation', 'Output min .. max') {
                $text.Contains($heading) | Should -BeTrue -Because "the view shows '$heading'"
            }
        }

        It 'shows one row per gradient' {
            $text = Show { $grad }
            $text | Should -BeLike '*Gradients    784-50-10*'
            $text | Should -Match 'Name\s+Shape\s+Norm\s+MaxAbs'
            foreach ($row in 'dW1    784x50', 'db1    1x50', 'dW2    50x10', 'db2    1x10', 'Deltas') { $text.Contains($row) | Should -BeTrue -Because "the view shows '$row'" }
        }

        It 'shows a big tensor as a grid cut to a screenful with ellipses' {
            $lines = @((Show { $pass.Input }) -split '\r?\n' | Where-Object { $_.Length -gt 0 })
            $lines[0] | Should -Be 'Tensor 100x784'
            $lines[1] | Should -BeLike '*`[0`]*…*`[783`]*'
            @($lines | Where-Object { $_.TrimStart().StartsWith('…') }).Count | Should -BeGreaterThan 0
            @($lines | Where-Object { $_.TrimStart().StartsWith('[99]') }).Count | Should -Be 1
            $lines.Count | Should -BeLessOrEqual 13
        }

        It 'shows the layer traces as a table' {
            $text = Show { $pass.Layers }
            $text | Should -Match '(?m)^Layer\s+Activation\s+Input\s+PreActivation\s+Output'
            $text | Should -Match '(?m)^\s+1\s+Sigmoid\s+100x784\s+100x50\s+100x50'
            $text | Should -Match '(?m)^\s+2\s+Softmax\s+100x50\s+100x10\s+100x10'
        }

        It 'shows the parameters as a table' {
            $text = Show { $net.Parameters }
            $text | Should -Match '(?m)^Name\s+Layer\s+Shape\s+MaxAbs'
            $text | Should -Match '(?m)^W1\s+1\s+784x50\s+\d'
            $text | Should -Match '(?m)^b2\s+2\s+1x10\s+0\s*$'
        }

        It 'shows a network and a tensor after a table of parameters' {
            # The custom views are out of band, so the table before them does not swallow them.
            $text = Show { $net.Parameters; $net; $grad.db2 }
            $text | Should -Match 'Name\s+Layer\s+Shape\s+MaxAbs'
            $text | Should -BeLike '*Network      784-50-10*'
            $text | Should -BeLike '*Tensor 1x10*'
        }
    }
}
