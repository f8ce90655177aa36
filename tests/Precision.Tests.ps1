# Pester 5 tests of single-precision training (-Precision Single on New-Network and Start-Training),
# as pwsh users type them. Engine details (float kernels, bit-exact resume): tests/BackpropModule.Engine.Tests/Single.
BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    function Show([scriptblock] $Script) { (& $Script | Out-String -Width 80) -replace '\x1b\[[0-9;]*m', '' }
    function Test-AllFloat($Net) {
        foreach ($p in $Net.Parameters) {
            foreach ($v in $p.Value.To2DArray()) { if ([double][float]$v -ne $v) { return $false } }
        }
        $true
    }
    $script:spiral = New-Dataset -Kind Spiral -Seed 1
}

Describe 'New-Network -Precision' {
    Context 'Given Single' {
        It 'draws the weights of the seed, rounded to float' {
            $double = New-Network 2, 20, 3 -Seed 4
            $single = New-Network 2, 20, 3 -Seed 4 -Precision Single
            $single.Precision | Should -Be 'Single'
            $single.Version | Should -Be 0
            Test-AllFloat $single | Should -BeTrue
            Test-AllFloat $double | Should -BeFalse
            $single.Parameters[0].Value[1, 2] | Should -Be ([double][float]$double.Parameters[0].Value[1, 2])
        }
        It 'rounds given parameters too' {
            $net = New-Network -Parameters @{ W1 = @(@(0.1, 0.2), @(0.3, 0.4)); b1 = @(0.5, 0.6) } -Output Identity -Precision Single
            $net.Parameters[0].Value[0, 0] | Should -Be ([double][float]0.1)
            $net.Precision | Should -Be 'Single'
        }
        It 'refuses values that float cannot hold instead of rounding them to infinity' {
            { New-Network -Parameters @{ W1 = @(@(1e39, 0.2), @(0.3, 0.4)); b1 = @(0.5, 0.6) } -Precision Single } |
                Should -Throw -ErrorId 'PrecisionRangeExceeded,*'
            { New-Network 2, 3, 2 -WeightInit Normal -WeightScale 1e39 -Seed 1 -Precision Single } | Should -Throw -ErrorId 'PrecisionRangeExceeded,*'
        }
        It 'shows the precision in the network view, within 80 columns' {
            $text = Show { New-Network 784, 100, 10 -Seed 1 -Precision Single }
            $text | Should -Match '79,510 \(Single\)'
            ($text -split "`n" | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 80
        }
    }
    Context 'Given no precision' {
        It 'is Double and the view does not mention it' {
            $net = New-Network 2, 5, 3 -Seed 1
            $net.Precision | Should -Be 'Double'
            Show { $net } | Should -Not -Match 'Single'
        }
        It 'refuses a precision that does not exist' {
            { New-Network 2, 5, 3 -Precision Half } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,*'
        }
    }
}

Describe 'Start-Training -Precision' {
    Context 'Given the spiral' {
        It 'reaches the accuracy of a double run' {
            $results = foreach ($precision in 'Double', 'Single') {
                $net = New-Network 2, 50, 3 -Seed 1
                $last = $net | Start-Training $script:spiral -Epochs 150 -Optimizer Adam -LearningRate 0.01 -BatchSize 30 -Seed 2 -Precision $precision |
                    Select-Object -Last 1
                [pscustomobject]@{ Net = $net; Loss = $last.TrainingLoss; Accuracy = ($net | Test-Network -Data $script:spiral).Accuracy }
            }
            $results[0].Accuracy | Should -BeGreaterThan 0.9
            $results[1].Accuracy | Should -BeGreaterOrEqual ($results[0].Accuracy - 0.03)
            [math]::Abs($results[1].Loss - $results[0].Loss) | Should -BeLessThan (0.2 * $results[0].Loss)
            Test-AllFloat $results[1].Net | Should -BeTrue
            $results[1].Net.Precision | Should -Be 'Double'   # the option is for the run
        }
        It 'trains a Single network in float unless told otherwise' {
            $net = New-Network 2, 20, 3 -Seed 3 -Precision Single
            $null = $net | Start-Training $script:spiral -Epochs 2 -Seed 1
            Test-AllFloat $net | Should -BeTrue
            $null = $net | Start-Training $script:spiral -Epochs 1 -Seed 1 -Precision Double -Optimizer SGD
            Test-AllFloat $net | Should -BeFalse
        }
        It 'says so in its verbose summary' {
            $net = New-Network 2, 10, 3 -Seed 1 -Precision Single
            $verbose = $net | Start-Training $script:spiral -Epochs 1 -Seed 3 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            "$verbose" | Should -Match 'single precision'
        }
        It 'refuses data beyond the range of float before changing anything' {
            $huge = 1..6 | ForEach-Object { [pscustomobject]@{ a = $_ * 1e38; b = -$_; y = $_ % 2 } } |
                ConvertTo-Dataset -FeatureProperty a, b -LabelProperty y
            $net = New-Network 2, 4, 2 -Seed 1
            $w1 = $net.FindParameter('W1').Value.To2DArray()
            { $net | Start-Training $huge -Epochs 1 -Precision Single } | Should -Throw -ErrorId 'PrecisionRangeExceeded,*'
            $net.Version | Should -Be 0
            $net.FindParameter('W1').Value.To2DArray() | Should -Be $w1
        }
        It 'resumes a Single run' {
            $net = New-Network 2, 20, 3 -Seed 3 -Precision Single
            $null = $net | Start-Training $script:spiral -Epochs 2 -Seed 1 -Optimizer Adam
            $records = $net | Start-Training $script:spiral -Epochs 1 -Resume
            $records.Epoch | Should -Be 3
        }
    }
    Context 'Given a network with BatchNorm and Dropout' {
        It 'reaches the accuracy of a double run' {
            $results = foreach ($precision in 'Double', 'Single') {
                $net = New-Network 2, 16, 16, 3 -BatchNorm -Dropout 0.1 -Seed 1 -Precision $precision
                $last = $net | Start-Training $script:spiral -Epochs 150 -Optimizer Adam -LearningRate 0.01 -BatchSize 30 -Seed 2 |
                    Select-Object -Last 1
                [pscustomobject]@{ Net = $net; Loss = $last.TrainingLoss; Accuracy = ($net | Test-Network -Data $script:spiral).Accuracy }
            }
            $results[0].Accuracy | Should -BeGreaterThan 0.9
            $results[1].Accuracy | Should -BeGreaterOrEqual ($results[0].Accuracy - 0.03)
            [math]::Abs($results[1].Loss - $results[0].Loss) | Should -BeLessThan (0.2 * $results[0].Loss)
            $results[1].Net.Precision | Should -Be 'Single'
            Test-AllFloat $results[1].Net | Should -BeTrue
            $results[1].Net.BatchNorm[0].RunningVariance[0, 0] | Should -Not -Be 1   # the statistics moved
        }
        It 'resumes a Single run through a saved file as if it had not stopped' {
            $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
            try {
                $whole = New-Network 2, 16, 16, 3 -BatchNorm -Dropout 0.2 -Seed 4 -Precision Single
                $null = $whole | Start-Training $script:spiral -Epochs 4 -Seed 3 -Optimizer Adam
                $split = New-Network 2, 16, 16, 3 -BatchNorm -Dropout 0.2 -Seed 4 -Precision Single
                $null = $split | Start-Training $script:spiral -Epochs 2 -Seed 3 -Optimizer Adam
                $path = [System.IO.Path]::Combine($folder, 'n.json')
                $split | Save-Network -Path $path
                $back = Import-Network -Path $path
                $null = $back | Start-Training $script:spiral -Epochs 2 -Resume
                for ($i = 0; $i -lt $whole.Parameters.Count; $i++) {
                    $back.Parameters[$i].Value.BitwiseEquals($whole.Parameters[$i].Value) | Should -BeTrue
                }
                $back.BatchNorm[1].RunningMean.BitwiseEquals($whole.BatchNorm[1].RunningMean) | Should -BeTrue
            }
            finally { [System.IO.Directory]::Delete($folder, $true) }
        }
    }
    Context 'Given a network trained in Single' {
        BeforeAll {
            $script:net = New-Network 2, 20, 3 -Seed 5 -Precision Single
            $null = $script:net | Start-Training $script:spiral -Epochs 3 -Seed 1 -Optimizer Adam
            $script:folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
        }
        AfterAll { [System.IO.Directory]::Delete($script:folder, $true) }

        It 'saves and imports its precision and weights' {
            $path = [System.IO.Path]::Combine($script:folder, 'n.json')
            $script:net | Save-Network -Path $path
            $back = Import-Network -Path $path
            $back.Precision | Should -Be 'Single'
            for ($i = 0; $i -lt $back.Parameters.Count; $i++) {
                $back.Parameters[$i].Value.BitwiseEquals($script:net.Parameters[$i].Value) | Should -BeTrue
            }
        }
        It 'exports float32 ONNX by default and Excel as usual' {
            $onnx = $script:net | Export-NetworkOnnx -Path ([System.IO.Path]::Combine($script:folder, 'n.onnx')) -PassThru
            $onnx.Format | Should -Be 'ONNX opset 13 (float32)'
            $xlsx = $script:net | Export-Workbook -Path ([System.IO.Path]::Combine($script:folder, 'n.xlsx')) -PassThru
            $xlsx.Length | Should -BeGreaterThan 0
        }
        It 'refuses a float32 ONNX export of a value beyond float range and writes nothing' {
            $net = New-Network 2, 3, 2 -BatchNorm -Seed 1
            $huge = [BackpropModule.Engine.Tensors.Tensor]::FromRow([double[]](1e40, 1, 1))
            $net.SetRunningStatistics(1, [BackpropModule.Engine.Tensors.Tensor]::FromRow([double[]](0, 0, 0)), $huge)
            $path = [System.IO.Path]::Combine($script:folder, 'huge.onnx')
            { $net | Export-NetworkOnnx -Path $path -Precision Single } | Should -Throw -ErrorId 'PrecisionRangeExceeded,*'
            Test-Path -LiteralPath $path | Should -BeFalse
            ($net | Export-NetworkOnnx -Path $path -Precision Double -PassThru).Format | Should -Be 'ONNX opset 13 (float64)'
        }
        It 'checks its gradients in double' {
            $x = $script:spiral.FeaturesTensor().Matrix.SubMatrix(0, 3, 0, 2)
            $check = $script:net | Test-Gradient -InputObject $x -Target 0, 1, 2
            $check.Passed | Should -BeTrue
        }
    }
}
