#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5: the scripts a user runs. Every PowerShell file in the repository parses; every script
# under examples/ runs end to end in its own folder (with -Quick where it has that switch; the
# Fashion-MNIST examples fall back to built-in data by themselves); the README walkthrough runs.

BeforeDiscovery {
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..'))
    # Build output, restored tools and test results are not the repository's own scripts.
    $skipped = '^(out|TestResults|\.tools|\.git)[\\/]|[\\/](bin|obj)[\\/]|^(bin|obj)[\\/]'
    $scripts = foreach ($file in [System.IO.Directory]::EnumerateFiles($root, '*.ps*1', [System.IO.SearchOption]::AllDirectories) | Sort-Object) {
        $relative = [System.IO.Path]::GetRelativePath($root, $file)
        if ($file -match '\.ps(d|m)?1$' -and $relative -notmatch $skipped) { @{ Path = $relative; FullName = $file } }
    }
    $examples = foreach ($file in [System.IO.Directory]::EnumerateFiles([System.IO.Path]::Combine($root, 'examples'), '*.ps1', [System.IO.SearchOption]::AllDirectories) | Sort-Object) {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref] $null, [ref] $null)
        $quick = @($ast.ParamBlock.Parameters | Where-Object { $_.Name.VariablePath.UserPath -eq 'Quick' }).Count -gt 0
        @{ Name = [System.IO.Path]::GetRelativePath($root, $file); FullName = $file; Quick = $quick }
    }
}

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BackpropModule', 'BackpropModule.psd1')) -Force
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..'))

    # Runs a script block in its own folder under $TestDrive with every error terminating, and
    # returns what its output looks like at 120 columns. Examples print each section with
    # Out-Default; the function of that name here catches those sections as text instead.
    function Invoke-InFolder([string] $Name, [scriptblock] $Script) {
        $folder = [System.IO.Path]::Combine($TestDrive, ($Name -replace '[\\/:]', '-'))
        $null = [System.IO.Directory]::CreateDirectory($folder)
        Push-Location -LiteralPath $folder
        try {
            & {
                $ErrorActionPreference = 'Stop'
                $ProgressPreference = 'SilentlyContinue'
                function Out-Default { $input | Out-String -Width 120 }
                & $Script | Out-String -Width 120
            }
        }
        finally { Pop-Location }
    }
}

Describe 'PowerShell files' {
    It 'finds the examples among the scripts' -ForEach @{ Found = @($scripts | Where-Object { $_.Path -like 'examples*' }).Count } {
        $Found | Should -BeGreaterThan 0
    }

    It '<Path> parses without errors' -ForEach $scripts {
        $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile($FullName, [ref] $null, [ref] $errors)
        @($errors | ForEach-Object { "$($_.Extent.StartLineNumber):$($_.Extent.StartColumnNumber) $($_.Message)" }) | Should -BeNullOrEmpty
    }
}

Describe 'Examples' {
    It '<Name> runs without errors and prints something' -ForEach $examples {
        $text = Invoke-InFolder $Name {
            if ($Quick) { & $FullName -Quick } else { & $FullName }
        }
        $text.Trim() | Should -Not -BeNullOrEmpty
    }

    Context 'Given no Fashion-MNIST where 05-LoadFashionMnist.ps1 looks' {
        It 'loads a synthetic set of the same shape with the Fashion-MNIST class names' {
            $example = [System.IO.Path]::Combine($root, 'examples', '05-LoadFashionMnist.ps1')
            $text = Invoke-InFolder 'fallback' { & $example -Path ([System.IO.Path]::Combine($TestDrive, 'absent')) -Quick }
            $text = $text -replace '\x1b\[[0-9;]*m', ''
            $text | Should -Match 'train\s+1000\s+\d+\s+True'
            $text | Should -Match 't10k\s+500\s+\d+\s+True'
            $text | Should -BeLike '*Ankle boot*'
        }
    }
}

Describe 'The README walkthrough' {
    BeforeAll {
        $readme = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($root, 'README.md')) -replace '\r\n', "`n"
        $heading = $readme.IndexOf('## Interactive walkthrough')
        $start = $readme.IndexOf("``````powershell`n", $heading) + "``````powershell`n".Length
        $block = $readme.Substring($start, $readme.IndexOf('```', $start) - $start)
    }

    It 'is in the README' {
        $heading | Should -BeGreaterOrEqual 0
        $block | Should -BeLike '*New-Network*'
    }

    It 'runs as written, shows every object through its view and lowers the loss' {
        $text = Invoke-InFolder 'walkthrough' { . ([scriptblock]::Create($block)) }
        $output = & {
            $ErrorActionPreference = 'Stop'
            . ([scriptblock]::Create($block))
        }
        @($output | ForEach-Object { $_.GetType().Name }) |
            Should -Be 'Network', 'ForwardPass', 'Gradients', 'Tensor', 'Tensor', 'Double', 'Double'
        $output[6] | Should -BeLessThan $output[5] -Because 'one gradient-descent step lowers the loss'
        $text = $text -replace '\x1b\[[0-9;]*m', ''
        $text | Should -BeLike '*ForwardPass*'
        $text | Should -BeLike '*dW1*'
        $text | Should -Not -Match 'BackpropModule\.Engine\.[A-Za-z.]+\r?\n' -Because 'every object has a view'
    }
}
