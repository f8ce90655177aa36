# Pester 5: the data cmdlets as a user types them (progress and error-record details: DataTests.cs, DataConversionTests.cs).
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
        BeforeAll {
            $folder = [System.IO.Path]::Combine($TestDrive, 'my-fashion-mnist')
            $null = Write-IdxSet $folder 'train' $script:Labels $true
        }
        It 'attaches the Fashion-MNIST class names' {
            $data = Import-IdxDataset $folder
            $data.ClassNames[$data.Labels[0]] | Should -Be 'Dress'
        }
        It 'takes class names of the user''s instead, one per class' {
            (Import-IdxDataset $folder -ClassNames (0..9 | ForEach-Object { "c$_" })).ClassNames[9] | Should -Be 'c9'
            { Import-IdxDataset $folder -ClassNames a, b } | Should -Throw -ErrorId 'ClassNamesCountInvalid,*'
        }
    }

    Context 'Given a folder whose name says nothing' {
        It 'attaches no class names' {
            $folder = [System.IO.Path]::Combine($TestDrive, 'plain')
            $null = Write-IdxSet $folder 'train' $script:Labels $true
            (Import-IdxDataset $folder).ClassNames | Should -BeNullOrEmpty
        }
    }

    Context 'Given a folder with two sets' {
        BeforeAll {
            $folder = [System.IO.Path]::Combine($TestDrive, 'two')
            $null = Write-IdxSet $folder 'train' $script:Labels $true
            $null = Write-IdxSet $folder 't10k' ([byte[]](1, 2)) $false
        }
        It 'loads one dataset per name' {
            @(Import-IdxDataset $folder -Name train, t10k | ForEach-Object Count) | Should -Be 5, 2
        }
        It 'takes the folder from Get-Item on the pipeline' {
            (Get-Item -LiteralPath $folder | Import-IdxDataset -Name t10k).Count | Should -Be 2
        }
        It 'resolves relative paths against the current location' {
            Push-Location -LiteralPath $folder
            try {
                (Import-IdxDataset . -Name train).Count | Should -Be 5
                (Import-IdxDataset -ImagePath ./train-images-idx3-ubyte.gz -LabelPath train-labels-idx1-ubyte.gz).Count | Should -Be 5
            }
            finally { Pop-Location }
        }
    }

    Context 'Given files named without a hint of their compression' {
        It 'tells gzip from raw by the content' {
            $images = [System.IO.Path]::Combine($TestDrive, 'imgs.bin')
            $labels = [System.IO.Path]::Combine($TestDrive, 'labels.gz')
            [BackpropModule.Engine.Data.IdxWriter]::Write($images, [int[]](2, 1, 2), [byte[]](0, 51, 102, 255), $true)
            [BackpropModule.Engine.Data.IdxWriter]::Write($labels, [int[]](, 2), [byte[]](1, 0), $false)
            $d = Import-IdxDataset -ImagePath $images -LabelPath $labels
            $d.Features | Should -Be 0, 0.2, 0.4, 1
            $d.Labels | Should -Be 1, 0
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
            $b = Split-Dataset -InputObject $data -ValidationFraction 0.2 -Seed 4
            $a | Should -BeOfType BackpropModule.Engine.Data.DatasetSplit
            $a.Training.Count | Should -Be 40
            $a.Validation.Count | Should -Be 10
            $a.Seed | Should -Be 4
            ($a.Validation.Features -join ',') | Should -Be ($b.Validation.Features -join ',')
        }
        It 'shows the split as a table of sizes, fraction and seed' {
            $text = ($data | Select-DatasetSample -First 5 | Split-Dataset -ValidationCount 2 -Seed 9 | Out-String -Width 120) -replace '\x1b\[[0-9;]*m', ''
            $text | Should -Match 'Training\s+Validation\s+Fraction\s+Seed'
            $text | Should -Match '\s3\s+2\s+0\.4\s+9\s'
        }
        It 'keeps class shares with -Stratify' {
            $s = $data | Split-Dataset -ValidationCount 10 -Seed 5 -Stratify
            foreach ($k in 0..4) { @($s.Validation.Labels | Where-Object { $_ -eq $k }).Count | Should -Be 2 }
        }
    }
    Context 'Given no seed' {
        It 'records the seed it drew, which splits the same way again' {
            $s = $data | Split-Dataset 0.4
            $t = $data | Split-Dataset 0.4 -Seed $s.Seed
            ($t.Validation.Features -join ',') | Should -Be ($s.Validation.Features -join ',')
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
            $d = $rows | ConvertTo-Dataset -FeatureProperty x1, x2 -LabelProperty species -Name iris
            $d.Name | Should -Be 'iris'
            $d.Features | Should -Be @(0.5, 100, -1.25, 3, 2, 0)
            $d.ClassNames | Should -Be @('setosa', 'versicolor', 'virginica')
            $d.Labels | Should -Be @(2, 0, 1)
            $d.Targets | Should -Be @(0, 0, 1, 1, 0, 0, 0, 1, 0)
        }
        It 'takes every other property as a feature, in order, when none are named' {
            $d = $rows | ConvertTo-Dataset -LabelProperty species
            $d.FeatureCount | Should -Be 2
            $d.Features[1] | Should -Be 100
        }
        It 'numbers the classes as -ClassNames lists them' {
            ($rows | ConvertTo-Dataset -LabelProperty species -ClassNames virginica, setosa, versicolor).Labels | Should -Be @(0, 1, 2)
        }
        It 'takes the rows as -InputObject too' {
            (ConvertTo-Dataset -InputObject $rows -LabelProperty species).Count | Should -Be 3
        }
        It 'stops at a label -ClassNames does not list' {
            { $rows | ConvertTo-Dataset -LabelProperty species -ClassNames setosa, virginica } |
                Should -Throw -ErrorId 'DatasetLabelInvalid,*' -ExpectedMessage '*Row 3*'
        }
    }
    Context 'Given hashtables with integer labels' {
        It 'uses the labels as class indices' {
            $d = @(@{ a = 0; b = 1; y = 1 }, @{ a = 1; b = 1; y = 0 }) | ConvertTo-Dataset -LabelProperty y
            $d.Labels | Should -Be @(1, 0)
            $d.FeatureCount | Should -Be 2
            $d.ClassNames | Should -BeNullOrEmpty
        }
        It 'takes more classes than the labels show with -ClassCount' {
            (@(@{ a = 0; y = 0 }, @{ a = 1; y = 1 }) | ConvertTo-Dataset -LabelProperty y -ClassCount 3).ClassCount | Should -Be 3
        }
    }
    Context 'Given numeric targets' {
        It 'builds a regression dataset' {
            $d = $rows | ConvertTo-Dataset -FeatureProperty x1 -TargetProperty x2
            $d.IsClassification | Should -BeFalse
            $d.Targets | Should -Be @(100, 3, 0)
        }
        It 'takes several target properties, row by row' {
            $d = 1..4 | ForEach-Object { [pscustomobject]@{ x = "$_"; y = [string]($_ * 2.5); z = $_ } } |
                ConvertTo-Dataset -FeatureProperty x -TargetProperty y, z
            $d.TargetWidth | Should -Be 2
            $d.Targets | Should -Be @(2.5, 1, 5, 2, 7.5, 3, 10, 4)
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
