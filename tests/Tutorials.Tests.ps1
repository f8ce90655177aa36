#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The five tutorials the module is built from, number for number (examples/tutorials/, issue 11).
# Each script writes rows: Figure, TutorialValue, ModuleValue, Relation. Run with:
# ./tools/Invoke-PesterSuite.ps1 -Path ./tests/Tutorials.Tests.ps1

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    $folder = Join-Path $PSScriptRoot '../examples/tutorials'
    function Get-Row($rows, [string] $figure) { $rows | Where-Object Figure -EQ $figure | Select-Object -First 1 }
    $ulp = [Math]::Pow(2, -52)
}

Describe 'Tutorial 000: 3-4-3 with the printed weights' {
    BeforeAll { $rows = & (Join-Path $folder '000-ThreeFourThree.ps1') }

    It 'reproduces the printed loss 0.4813766638499986 to 1e-9 with the documented conversion' {
        $r = Get-Row $rows 'loss, converted'
        [Math]::Abs($r.ModuleValue - 0.4813766638499986) | Should -BeLessOrEqual 1e-9
    }

    It 'shows why the plain factor 3 is not enough at 1e-9 (the 1e-8 inside the log)' {
        $r = Get-Row $rows 'loss / 3'
        [Math]::Abs($r.ModuleValue - 0.4813766638499986) | Should -BeGreaterThan 1e-9
        [Math]::Abs($r.ModuleValue - 0.4813766638499986) | Should -BeLessThan 1e-7
    }

    It 'finds the same input again by bisection' {
        $again = & (Join-Path $folder '000-ThreeFourThree.ps1') -FindInput
        # The last bits of the loss differ between builds (FMA or not), and so may the last bits of s.
        $delta = (Get-Row $again 'input s, x = (s,s,s)').ModuleValue - (Get-Row $rows 'input s, x = (s,s,s)').ModuleValue
        [Math]::Abs($delta) | Should -BeLessOrEqual 1e-12
        [Math]::Abs((Get-Row $again 'loss, converted').ModuleValue - 0.4813766638499986) | Should -BeLessOrEqual 1e-15
    }

    It 'names dx2 as the tutorial does: dout2 . w2^T' {
        $dout2 = (Get-Row $rows 'dout2 = y - t').ModuleValue
        $dx2 = (Get-Row $rows 'dx2 = dout2 . w2^T').ModuleValue
        $w2 = @(@(0.01044176, -0.0790746, -0.70335393), @(-0.65571456, -0.10833987, 0.32557463), @(-0.52371017, 0.08358353, -0.26835567), @(-0.77081821, 0.52365595, -0.10367158))
        foreach ($j in 0..3) {
            $expected = $dout2[0, 0] * $w2[$j][0] + $dout2[0, 1] * $w2[$j][1] + $dout2[0, 2] * $w2[$j][2]
            $dx2[0, $j] | Should -BeGreaterOrEqual ($expected - 1e-15) -Because "dx2[0,$j]"
            $dx2[0, $j] | Should -BeLessOrEqual ($expected + 1e-15) -Because "dx2[0,$j]"
        }
    }
}

Describe 'Tutorial 001: one full-batch step of a 784-50-10 sigmoid network' {
    BeforeAll { $rows = & (Join-Path $folder '001-MnistOneStep.ps1') -Count 20 }

    It 'puts the tutorial''s dW1 (W2 updated first) a little off the correct one' {
        $r = Get-Row $rows '|grad_W1 - dW1| / |dW1|'
        $r.ModuleValue | Should -BeGreaterThan 1e-3
        $r.ModuleValue | Should -BeLessThan 0.1
    }

    It 'lowers the loss with one step at 0.1' {
        (Get-Row $rows 'loss after one step').ModuleValue | Should -BeLessThan (Get-Row $rows 'loss before the step').ModuleValue
    }
}

Describe 'Tutorial 002: 2-3-1 ReLU regression, one SGD step at 0.07' {
    BeforeAll { $rows = & (Join-Path $folder '002-LectureNotes.ps1') }

    It 'gives the notes'' <Figure> to the last bit or two' -ForEach @(
        @{ Figure = 'loss' }; @{ Figure = 'W1[0,0] after the step' }; @{ Figure = 'W1[0,1] after the step' }; @{ Figure = 'W1[0,2] after the step' }
        @{ Figure = 'W1[1,0] after the step' }; @{ Figure = 'W1[1,1] after the step' }; @{ Figure = 'W1[1,2] after the step' }
        @{ Figure = 'b1[0] after the step' }; @{ Figure = 'b1[1] after the step' }; @{ Figure = 'b1[2] after the step' }
        @{ Figure = 'W2[0,0] after the step' }; @{ Figure = 'W2[1,0] after the step' }; @{ Figure = 'W2[2,0] after the step' }
        @{ Figure = 'b2 after the step' }
    ) {
        $r = Get-Row $rows $Figure
        $r | Should -Not -BeNullOrEmpty
        [Math]::Abs($r.ModuleValue - $r.TutorialValue) | Should -BeLessOrEqual (2 * $ulp * [Math]::Abs($r.TutorialValue))
    }

    It 'sums the squared error over two outputs where the notes average it: exactly twice' {
        $r = Get-Row $rows 'loss, 2 outputs'
        $r.ModuleValue | Should -Be (2 * $r.TutorialValue)
    }

    It 'does not copy the notes'' sigmoid-derivative bug' {
        $r = Get-Row $rows 'sigmoid dW1[0,0]'
        [Math]::Abs($r.ModuleValue - $r.TutorialValue) / [Math]::Abs($r.ModuleValue) | Should -BeGreaterThan 0.01
    }
}

Describe 'Tutorial 003: the sine, online SGD, 2001 epochs' {
    It 'ends with an error of at most 1e-4 from the tutorial''s initialisation' {
        $rows = & (Join-Path $folder '003-SineOnline.ps1')
        $last = Get-Row $rows 'Error, last epoch'
        $last.ModuleValue | Should -BeLessOrEqual 1e-4
        (Get-Row $rows 'Error, epoch 0 (from 0)').ModuleValue | Should -BeGreaterThan 0.1
    }
}

Describe 'Tutorial 004: gradient check with h = 1e-4' {
    BeforeAll { $rows = & (Join-Path $folder '004-GradientCheck.ps1') -Quick }

    It 'agrees to 1e-9 on average for <_>' -ForEach 'W1', 'b1', 'W2', 'b2' {
        (Get-Row $rows "$_ mean |diff|, h = 1e-4").ModuleValue | Should -BeLessOrEqual 1e-9
    }

    It 'shows the tutorial''s own figure 100 times larger: its +1e-7 inside the log' {
        $r = Get-Row $rows 'b2 mean |diff|, its own way'
        $r.TutorialValue | Should -BeGreaterThan (100 * $r.ModuleValue)
    }

    It 'keeps the full gradients side by side, whose mean |difference| is MeanAbsError' {
        $net = New-Network -LayerSizes 4, 3, 2 -Seed 3
        $r = $net | Test-Gradient -InputObject 0.5, -0.2, 0.1, 0.9 -Target 1 -Epsilon 1e-4 -IncludeGradients
        foreach ($p in $r) {
            $p.NumericalGradient.Shape | Should -Be $p.Shape
            $sum = 0.0
            foreach ($row in $p.Difference.ToArray()) { foreach ($v in $row) { $sum += [Math]::Abs($v) } }
            $sum / $p.Elements | Should -BeLessOrEqual ($p.MeanAbsError * (1 + 1e-12))
            $sum / $p.Elements | Should -BeGreaterOrEqual ($p.MeanAbsError * (1 - 1e-12))
            $p.SideBySide().Columns | Should -Be (3 * $p.Columns)
        }
    }
}

Describe 'about_BackpropModule_Tutorials' {
    BeforeAll { $path = Join-Path $PSScriptRoot '../en-US/about_BackpropModule_Tutorials.help.txt' }

    It 'is found by Get-Help' {
        (Get-Help about_BackpropModule_Tutorials | Out-String) | Should -BeLike '*TUTORIAL 003*'
    }

    It 'fits in 80 columns of ASCII' {
        foreach ($line in [System.IO.File]::ReadAllLines($path)) {
            $line.Length | Should -BeLessOrEqual 80 -Because $line
            $line | Should -Not -Match '[^\x00-\x7F]'
        }
    }

    It 'names every tutorial and its factors' -ForEach '000', '001', '002', '003', '004', '1e-8', '1e-7', 'h = 1e-4', 'shuffle' {
        [System.IO.File]::ReadAllText($path) | Should -BeLike "*$_*"
    }
}
