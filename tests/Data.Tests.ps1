# Pester 5 scenarios for the data cmdlets; each is also covered by a hosted xunit test
# (tests/BackpropModule.Tests/DataTests.cs, DataConversionTests.cs, FashionMnistTests.cs).
BeforeDiscovery {
    $formats = @(@{ Gzip = $false; Kind = 'raw' }, @{ Gzip = $true; Kind = 'gzipped' })
    $badSplits = @(@{ Split = @{ ValidationFraction = 1 } }, @{ Split = @{ ValidationFraction = 0.01 } }, @{ Split = @{ ValidationCount = 50 } })
    $fashion = '/usr/share/datasets/fashion-mnist'
    $hasFashion = [System.IO.File]::Exists([System.IO.Path]::Combine($fashion, 't10k-images-idx3-ubyte.gz'))
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    $script:Labels = [byte[]](3, 0, 9, 3, 1)

    # Writes <name>-images-idx3-ubyte[.gz] (count x 2 x 3 pixels) and the labels into a folder.
    function Write-IdxSet([string] $Folder, [string] $Name, [byte[]] $Labels, [bool] $Gzip) {
        $null = [System.IO.Directory]::CreateDirectory($Folder)
        $ext = if ($Gzip) { '.gz' } else { '' }
        $pixels = [byte[]]::new($Labels.Length * 6)
        [System.Random]::new(1).NextBytes($pixels)
        $pixels[0] = 255; $pixels[1] = 0
        $images = [System.IO.Path]::Combine($Folder, "$Name-images-idx3-ubyte$ext")
        $labelFile = [System.IO.Path]::Combine($Folder, "$Name-labels-idx1-ubyte$ext")
        [BackpropModule.Engine.Data.IdxWriter]::WriteImages($images, $pixels, 2, 3, $Gzip)
        [BackpropModule.Engine.Data.IdxWriter]::WriteLabels($labelFile, $Labels, $Gzip)
        [pscustomobject]@{ Images = $images; Labels = $labelFile; Pixels = $pixels }
    }
}

Describe 'Import-IdxDataset' {
    Context 'Given <Kind> IDX files' -ForEach $formats {
        BeforeAll {
            $folder = [System.IO.Path]::Combine($TestDrive, "set-$Kind")
            $set = Write-IdxSet $folder 'train' $script:Labels $Gzip
            $data = Import-IdxDataset -Path $folder -Name train
        }
        It 'returns one dataset with count, features and classes' {
            $data | Should -BeOfType BackpropModule.Engine.Data.Dataset
            $data.Count | Should -Be 5
            $data.FeatureCount | Should -Be 6
            $data.ClassCount | Should -Be 10
        }
        It 'scales pixels to [0,1]' {
            for ($k = 0; $k -lt 30; $k++) { $data.Features[$k] | Should -Be ($set.Pixels[$k] / 255) }
        }
        It 'keeps labels as indices and one-hot targets' {
            $data.Labels | Should -Be @(3, 0, 9, 3, 1)
            $data.Targets[3] | Should -Be 1
            ($data.Targets[0..9] | Where-Object { $_ -eq 1 }).Count | Should -Be 1
        }
        It 'loads only the first N samples with -First' {
            (Import-IdxDataset -Path $folder -First 2).Labels | Should -Be @(3, 0)
        }
        It 'keeps byte values with -NoScale' {
            (Import-IdxDataset -Path $folder -NoScale).Features[0] | Should -Be 255
        }
    }

    Context 'Given a folder whose name says fashion' {
        It 'attaches the Fashion-MNIST class names' {
            $folder = [System.IO.Path]::Combine($TestDrive, 'my-fashion-mnist')
            $null = Write-IdxSet $folder 'train' $script:Labels $true
            $data = Import-IdxDataset $folder
            $data.ClassNames[$data.Labels[0]] | Should -Be 'Dress'
        }
    }

    Context 'Given malformed or missing files' {
        BeforeAll {
            $folder = [System.IO.Path]::Combine($TestDrive, 'bad')
            $set = Write-IdxSet $folder 'train' $script:Labels $false
        }
        It 'reports a missing folder as IdxFileNotFound' {
            { Import-IdxDataset ([System.IO.Path]::Combine($TestDrive, 'nowhere')) } | Should -Throw -ErrorId 'IdxFileNotFound,*'
        }
        It 'reports a wrong magic number as IdxMagicInvalid' {
            { Import-IdxDataset -ImagePath $set.Labels -LabelPath $set.Labels } | Should -Throw -ErrorId 'IdxMagicInvalid,*'
        }
        It 'reports a truncated file as IdxTruncated' {
            $short = [System.IO.Path]::Combine($TestDrive, 'short')
            [BackpropModule.Engine.Data.IdxWriter]::Write($short, [int[]](5, 2, 3), [byte[]]::new(29), $false)
            { Import-IdxDataset -ImagePath $short -LabelPath $set.Labels } | Should -Throw -ErrorId 'IdxTruncated,*'
        }
        It 'reports different image and label counts as IdxCountMismatch' {
            $few = [System.IO.Path]::Combine($TestDrive, 'few')
            [BackpropModule.Engine.Data.IdxWriter]::WriteLabels($few, [byte[]](1, 2), $true)
            { Import-IdxDataset -ImagePath $set.Images -LabelPath $few } | Should -Throw -ErrorId 'IdxCountMismatch,*'
        }
        It 'reports a label at or above -ClassCount as IdxLabelOutOfRange' {
            { Import-IdxDataset $folder -ClassCount 5 } | Should -Throw -ErrorId 'IdxLabelOutOfRange,*'
        }
        It 'names the file in the error' {
            $err = { Import-IdxDataset -ImagePath $set.Labels -LabelPath $set.Labels } | Should -Throw -PassThru
            $err.TargetObject | Should -Be $set.Labels
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
        }
    }

    Context 'Given the real Fashion-MNIST test set' -Skip:(-not $hasFashion) {
        BeforeAll { $fashion = '/usr/share/datasets/fashion-mnist' }
        It 'has 10000 samples of 784 pixels in [0,1] and 1000 per class' {
            $d = Import-IdxDataset -Path $fashion -Name t10k
            $d.Count | Should -Be 10000
            $d.FeatureCount | Should -Be 784
            [System.Linq.Enumerable]::Max($d.Features) | Should -Be 1
            $counts = [int[]]::new(10)
            foreach ($l in $d.Labels) { $counts[$l]++ }
            $counts | Should -Be (@(1000) * 10)
        }
    }
}

Describe 'Split-Dataset and Select-DatasetSample' {
    BeforeAll {
        $folder = [System.IO.Path]::Combine($TestDrive, 'fifty')
        $null = Write-IdxSet $folder 'train' ([byte[]](0..49 | ForEach-Object { $_ % 5 })) $false
        $data = Import-IdxDataset $folder
    }
    Context 'Given a seed' {
        It 'splits into disjoint parts of the right sizes, the same way every time' {
            $a = $data | Split-Dataset -ValidationFraction 0.2 -Seed 4
            $b = $data | Split-Dataset -ValidationFraction 0.2 -Seed 4
            $a | Should -BeOfType BackpropModule.Engine.Data.DatasetSplit
            $a.Training.Count | Should -Be 40
            $a.Validation.Count | Should -Be 10
            ($a.Validation.Features -join ',') | Should -Be ($b.Validation.Features -join ',')
        }
        It 'keeps class shares with -Stratify' {
            $s = $data | Split-Dataset -ValidationCount 10 -Seed 5 -Stratify
            foreach ($k in 0..4) { @($s.Validation.Labels | Where-Object { $_ -eq $k }).Count | Should -Be 2 }
        }
    }
    Context 'Given a split that leaves a part empty' {
        It 'fails with DatasetSplitInvalid' -ForEach $badSplits {
            { $data | Split-Dataset @Split -Seed 1 } | Should -Throw -ErrorId 'DatasetSplitInvalid,*'
        }
    }
    Context 'Given ranges, indices and random draws' {
        It 'takes them' {
            ($data | Select-DatasetSample -First 2 -Skip 1).Labels | Should -Be @(1, 2)
            ($data | Select-DatasetSample -Index -1, 0).Labels | Should -Be @(4, 0)
            ($data | Select-DatasetSample -Random 7 -Seed 2).Count | Should -Be 7
            { $data | Select-DatasetSample -Index 50 } | Should -Throw -ErrorId 'DatasetSampleOutOfRange,*'
        }
    }
}

Describe 'ConvertTo-Dataset' {
    BeforeAll {
        $rows = @(
            [pscustomobject]@{ x1 = '0.5'; x2 = '1e2'; species = 'virginica' }
            [pscustomobject]@{ x1 = '-1.25'; x2 = '3'; species = 'setosa' }
            [pscustomobject]@{ x1 = '2'; x2 = '0.0'; species = 'versicolor' }
        )
    }
    Context 'Given rows of strings as Import-Csv gives them' {
        It 'parses numbers with the invariant culture and numbers the classes in sorted order' {
            $d = $rows | ConvertTo-Dataset -FeatureProperty x1, x2 -LabelProperty species
            $d.Features | Should -Be @(0.5, 100, -1.25, 3, 2, 0)
            $d.ClassNames | Should -Be @('setosa', 'versicolor', 'virginica')
            $d.Labels | Should -Be @(2, 0, 1)
        }
    }
    Context 'Given hashtables with integer labels' {
        It 'uses the labels as class indices' {
            $d = @(@{ a = 0; b = 1; y = 1 }, @{ a = 1; b = 1; y = 0 }) | ConvertTo-Dataset -LabelProperty y
            $d.Labels | Should -Be @(1, 0)
            $d.FeatureCount | Should -Be 2
        }
    }
    Context 'Given numeric targets' {
        It 'builds a regression dataset' {
            $d = $rows | ConvertTo-Dataset -FeatureProperty x1 -TargetProperty x2
            $d.IsClassification | Should -BeFalse
            $d.Targets | Should -Be @(100, 3, 0)
        }
    }
    Context 'Given bad rows' {
        It 'stops at a missing property' {
            { @($rows; [pscustomobject]@{ x1 = '1'; species = 'setosa' }) | ConvertTo-Dataset -FeatureProperty x1, x2 -LabelProperty species } |
                Should -Throw -ErrorId 'DatasetRowPropertyMissing,*' -ExpectedMessage '*Row 4*x2*'
        }
        It 'stops at a value that is not a number' {
            { @([pscustomobject]@{ x1 = 'n/a'; x2 = '1'; species = 'a' }) | ConvertTo-Dataset -LabelProperty species } |
                Should -Throw -ErrorId 'DatasetRowValueInvalid,*'
        }
        It 'refuses empty input' {
            { @() | ConvertTo-Dataset -LabelProperty y } | Should -Throw -ErrorId 'DatasetEmpty,*'
        }
    }
}
