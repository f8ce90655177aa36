# Pester 5: New-Network, Invoke-Forward, Invoke-Backward, Update-Network.
# Every scenario here is also covered by tests/BackpropModule.Tests/FoundationTests.cs (xunit, hosted engine).

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
    )
    $cmdlets = @('New-Network', 'Invoke-Forward', 'Invoke-Backward', 'Update-Network')
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

        It 'changes nothing with -WhatIf' {
            $before = Get-Bits $net
            $pass | Invoke-Backward | Update-Network -WhatIf
            Get-Bits $net | Should -BeExactly $before
            $net.Version | Should -Be 0
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
        It 'draws bitwise the same weights every time' {
            Get-Bits (New-Network -LayerSizes 6, 5, 4 -Seed 11) | Should -BeExactly (Get-Bits (New-Network -LayerSizes 6, 5, 4 -Seed 11))
        }
    }
}

Describe 'Help for <_>' -ForEach $cmdlets {
    It 'has a synopsis, a description and at least two examples' {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeLike "$_*"
        $help.description | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }
}
