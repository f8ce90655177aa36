#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Setting parameters: Set-NetworkParameter, New-Network -Parameters, -BiasInit, and every write
# counting as a change (issue 10 D25, issue 11). Run with: ./tools/Invoke-PesterSuite.ps1 -Path ./tests/Parameters.Tests.ps1

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    function Get-Bits($tensor) { $tensor.ToArray() | ForEach-Object { $_ | ForEach-Object { [BitConverter]::DoubleToInt64Bits($_) } } }
}

Describe 'Writing a weight through the tensor indexer' {
    Context 'Given a forward pass computed before the write' {
        BeforeAll {
            $net = New-Network -LayerSizes 3, 4, 3 -Seed 11
            $x = @(0.2, -0.7, 0.5)
            $pass = $net | Invoke-Forward -InputObject $x -Target 0
            $oldGrad = $pass | Invoke-Backward
            $before = $net.Version
            $net.Parameters[0].Value[0, 0] = 42
        }

        It 'bumps the network version' {
            $net.Version | Should -BeGreaterThan $before
        }

        It 'refuses backward on the old pass instead of mixing old activations with new weights' {
            { $pass | Invoke-Backward } | Should -Throw -ErrorId 'ForwardPassStale,*'
        }

        It 'refuses to apply the old gradients' {
            { $oldGrad | Update-Network } | Should -Throw -ErrorId 'GradientStale,*'
        }

        It 'gives the gradient of a fresh pass' {
            $fresh = $net | Invoke-Forward -InputObject $x -Target 0 | Invoke-Backward
            $fresh.dW1[0, 0] | Should -Not -Be $oldGrad.dW1[0, 0]
        }
    }
}

Describe 'Set-NetworkParameter' {
    Context 'Given W1 exported with ToRows() to CSV and read back with Import-Csv' {
        BeforeAll {
            $source = New-Network -LayerSizes 3, 4, 3 -Seed 1 -BiasInit Normal -BiasScale 0.5
            $csv = Join-Path $TestDrive 'W1.csv'
            $source.Parameters[0].Value.ToRows() | Export-Csv -LiteralPath $csv
            $net = New-Network -LayerSizes 3, 4, 3 -Seed 2
            $before = $net.Version
            Set-NetworkParameter -Network $net -Name W1 -Value (Import-Csv -LiteralPath $csv)
        }

        It 'sets W1 bit for bit' {
            Get-Bits $net.Parameters[0].Value | Should -Be (Get-Bits $source.Parameters[0].Value)
        }

        It 'reads a one-row CSV (a bias: Import-Csv returns a single object)' {
            $bias = Join-Path $TestDrive 'b1.csv'
            $source.Parameters[1].Value.ToRows() | Export-Csv -LiteralPath $bias
            $other = New-Network -LayerSizes 3, 4, 3 -Seed 2
            $other | Set-NetworkParameter -Name b1 -Value (Import-Csv -LiteralPath $bias)
            Get-Bits $other.Parameters[1].Value | Should -Be (Get-Bits $source.Parameters[1].Value)
        }

        It 'steps the version once' {
            $net.Version | Should -Be ($before + 1)
        }
    }

    Context 'Given a value as <Kind>' -ForEach @(
        @{ Kind = 'a DataTable'; Make = { param($t) , $t.ToDataTable() } }
        @{ Kind = 'row objects'; Make = { param($t) , @($t.ToRows()) } }
        @{ Kind = 'double[][]'; Make = { param($t) , $t.ToArray() } }
        @{ Kind = 'double[,]'; Make = { param($t) , $t.To2DArray() } }
        @{ Kind = 'a Tensor'; Make = { param($t) , $t } }
        @{ Kind = 'rows of invariant-culture text'; Make = { param($t) , @($t.ToArray() | ForEach-Object { [pscustomobject]@{ A = $_[0].ToString('R', [cultureinfo]::InvariantCulture); B = $_[1].ToString('R', [cultureinfo]::InvariantCulture); C = $_[2].ToString('R', [cultureinfo]::InvariantCulture); D = $_[3].ToString('R', [cultureinfo]::InvariantCulture) } }) } }
    ) {
        It 'sets W1 exactly' {
            $source = (New-Network -LayerSizes 3, 4, 3 -Seed 5).Parameters[0].Value
            $net = New-Network -LayerSizes 3, 4, 3 -Seed 6
            $net | Set-NetworkParameter -Name W1 -Value (& $Make $source)
            Get-Bits $net.Parameters[0].Value | Should -Be (Get-Bits $source)
        }
    }

    Context 'Given several parameters with one wrong' {
        BeforeAll {
            $net = New-Network -LayerSizes 3, 4, 3 -Seed 3
            $snapshot = foreach ($p in $net.Parameters) { , (Get-Bits $p.Value) }
            $version = $net.Version
        }

        It 'refuses <Case> with <Id> and changes nothing' -ForEach @(
            @{ Case = 'a wrong shape'; Id = 'ParameterShapeMismatch'; Values = @{ b1 = 1, 2, 3, 4; W2 = @(1, 2) } }
            @{ Case = 'a NaN'; Id = 'ParameterNotFinite'; Values = @{ b1 = 1, 2, 3, 4; b2 = 1, [double]::NaN, 3 } }
            @{ Case = 'an unknown name'; Id = 'ParameterNotFound'; Values = @{ b1 = 1, 2, 3, 4; W9 = 1 } }
            @{ Case = 'text that is no number'; Id = 'ParameterValueNotConvertible'; Values = @{ b1 = 1, 2, 3, 4; b2 = , @([pscustomobject]@{ A = '1'; B = 'x'; C = '3' }) } }
        ) {
            { $net | Set-NetworkParameter -Parameters $Values } | Should -Throw -ErrorId "$Id,*"
            $net.Version | Should -Be $version
            for ($i = 0; $i -lt 4; $i++) { Get-Bits $net.Parameters[$i].Value | Should -Be $snapshot[$i] }
        }
    }

    It 'changes nothing with -WhatIf' {
        $net = New-Network -LayerSizes 2, 2 -Seed 1
        $net | Set-NetworkParameter -Name b1 -Value 5, 6 -WhatIf
        $net.Parameters[1].Value[0, 0] | Should -Be 0
        $net.Version | Should -Be 0
    }
}

Describe 'New-Network -Parameters' {
    It 'reads the layer sizes from the shapes' {
        $net = New-Network -Parameters @{ W1 = [double[,]]::new(3, 4); b1 = 0, 0, 0, 0; W2 = [double[,]]::new(4, 2); b2 = 0.5, -0.5 } -Activation Sigmoid -Output Identity
        $net.LayerSizes | Should -Be @(3, 4, 2)
        $net.Parameters[3].Value[0, 1] | Should -Be -0.5
    }

    It 'refuses weights whose shapes do not chain' {
        { New-Network -Parameters @{ W1 = [double[,]]::new(3, 4); b1 = 0, 0, 0, 0; W2 = [double[,]]::new(5, 2); b2 = 0, 0 } } |
            Should -Throw -ErrorId 'ParameterShapeMismatch,*'
    }

    It 'refuses a missing bias' {
        { New-Network -Parameters @{ W1 = [double[,]]::new(3, 4) } } | Should -Throw -ErrorId 'ParameterMissing,*'
    }

    It 'checks the shapes against -LayerSizes' {
        { New-Network -LayerSizes 3, 5 -Parameters @{ W1 = [double[,]]::new(3, 4); b1 = 0, 0, 0, 0 } } | Should -Throw -ErrorId 'ParameterShapeMismatch,*'
    }
}

Describe 'New-Network -BiasInit' {
    It 'draws biases with the given scale and leaves the weights of the seed alone' {
        $zero = New-Network -LayerSizes 1, 3, 1 -Activation Sigmoid -Output Identity -WeightInit Normal -Seed 4
        $normal = New-Network -LayerSizes 1, 3, 1 -Activation Sigmoid -Output Identity -WeightInit Normal -Seed 4 -BiasInit Normal -BiasScale 0.01
        $normal.Parameters[0].Value[0, 0] | Should -Be $zero.Parameters[0].Value[0, 0]
        $b = $normal.Parameters[1].Value
        $b.MaxAbs() | Should -BeGreaterThan 0
        $b.MaxAbs() | Should -BeLessThan 0.05
        $zero.Parameters[1].Value.MaxAbs() | Should -Be 0
    }

    It 'refuses a non-positive scale' {
        { New-Network -LayerSizes 1, 3, 1 -BiasInit Normal -BiasScale 0 } | Should -Throw -ErrorId 'BiasScaleInvalid,*'
    }

    It 'refuses a finite scale whose draws overflow to infinity' {
        { New-Network -LayerSizes 2, 3, 2 -WeightInit Normal -WeightScale 1e308 -Seed 1 } | Should -Throw -ErrorId 'WeightScaleInvalid,*'
        { New-Network -LayerSizes 2, 3, 2 -BiasInit Normal -BiasScale 1e308 -Seed 1 } | Should -Throw -ErrorId 'BiasScaleInvalid,*'
    }
}

Describe 'Seeing every digit' {
    BeforeAll {
        $w = (New-Network -LayerSizes 3, 4, 3 -Seed 1).Parameters[0].Value
        $exact = $w[0, 0].ToString('R', [cultureinfo]::InvariantCulture)
    }

    It 'shows 6 significant digits by default' {
        ($w | Out-String) | Should -Not -BeLike "*$exact*"
    }

    It 'shows every digit with $BackpropTensorDigits = 17' {
        $global:BackpropTensorDigits = 17
        try { ($w | Out-String -Width 200) | Should -BeLike "*$exact*" }
        finally { Remove-Variable -Name BackpropTensorDigits -Scope Global }
    }

    It 'shows every digit with Format(17)' {
        $w.Format(17) | Should -BeLike "*$exact*"
    }

    It 'finds the largest magnitude with ArgMaxAbs()' {
        $m = $w.ArgMaxAbs()
        [Math]::Abs($m.Value) | Should -Be $w.MaxAbs()
        $w[$m.Row, $m.Column] | Should -Be $m.Value
    }
}
