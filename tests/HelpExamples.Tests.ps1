# Pester 5: every example in the help runs as written. Each MAML example's code runs in a fresh
# scope in its own folder, with errors terminating (so any error fails it), and its output goes
# through the default formatting at 80 columns. Each about topic's "PS>" sessions run line by line in one scope per
# section (a ">>" line continues the line above it, as at the prompt), in a folder holding a copy of
# examples/ and with the built module on PSModulePath, so "Import-Module BackpropModule" and
# "./examples/..." work as written; where a line is followed by a one-line output, that output must
# be what the line prints.

BeforeDiscovery {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BackpropModule', 'BackpropModule.psd1')) -Force
    $hasFashion = [System.IO.File]::Exists('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz')
    $examples = foreach ($command in (Get-Command -Module BackpropModule | Sort-Object Name)) {
        $i = 0
        foreach ($example in @((Get-Help $command.Name).examples.example)) {
            $i++
            $code = ($example.code | Out-String).Trim()
            @{ Command = $command.Name; Number = $i; Code = $code; NeedsFashion = $code -match 'fashion-mnist'; NeedsImportExcel = $code -match '(Import|Export)-Excel' }
        }
    }
    $helpFolder = [System.IO.Path]::Combine($PSScriptRoot, '..', 'en-US')
    $sessions = foreach ($topic in Get-ChildItem -LiteralPath $helpFolder -Filter 'about_*.help.txt') {
        $section = 'TOPIC'
        $lines = @()
        $current = $null
        foreach ($raw in [System.IO.File]::ReadAllLines($topic.FullName)) {
            if ($raw -match '^[A-Z][A-Z0-9 :,/\-]+$') {
                if ($lines.Count -gt 0) { @{ Topic = $topic.Name; Section = $section; Lines = $lines } }
                $section = $raw.Trim(); $lines = @(); $current = $null
                continue
            }
            if ($raw -match '^\s+PS> (.*)$') {
                $current = @{ Code = $Matches[1]; Output = [System.Collections.Generic.List[string]]::new() }
                $lines += $current
            }
            elseif ($current -and $current.Output.Count -eq 0 -and $raw -match '^\s+>> ?(.*)$') { $current.Code += "`n" + $Matches[1] }
            elseif ($current -and $raw.Trim() -ne '') { $current.Output.Add($raw.Trim()) }
            else { $current = $null }
        }
        if ($lines.Count -gt 0) { @{ Topic = $topic.Name; Section = $section; Lines = $lines } }
    }
}

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BackpropModule', 'BackpropModule.psd1')) -Force
    $hasFashion = [System.IO.File]::Exists('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz')
}

Describe 'Help examples' {
    It '<Command> example <Number> runs as written' -ForEach $examples {
        if ($NeedsFashion -and -not $hasFashion) { Set-ItResult -Skipped -Because 'Fashion-MNIST is not installed' }
        if ($NeedsImportExcel -and -not (Get-Command Export-Excel -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'the ImportExcel module is not installed' }
        $folder = [System.IO.Path]::Combine($TestDrive, "$Command-$Number")
        $null = [System.IO.Directory]::CreateDirectory($folder)
        Push-Location -LiteralPath $folder
        try {
            $text = & {
                $ErrorActionPreference = 'Stop'
                $ProgressPreference = 'SilentlyContinue'
                . ([scriptblock]::Create($Code)) | Out-String -Width 80
            }
        }
        finally { Pop-Location }
        $text | Should -Not -Match 'BackpropModule\.Engine\.[A-Za-z.]+\r?\n' -Because 'every object an example shows has a view'
    }
}

Describe 'About topics' {
    BeforeAll {
        $modules = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', 'out'))
        $oldModulePath = $env:PSModulePath
        $env:PSModulePath = $modules + [System.IO.Path]::PathSeparator + $env:PSModulePath
    }
    AfterAll { $env:PSModulePath = $oldModulePath }

    It '<Topic> <Section> runs as written' -ForEach $sessions {
        $folder = [System.IO.Path]::Combine($TestDrive, "$Topic-$($Section -replace '\W', '')")
        $null = [System.IO.Directory]::CreateDirectory($folder)
        if (($Lines.Code -join "`n") -match 'fashion-mnist' -and -not $hasFashion) { Set-ItResult -Skipped -Because 'Fashion-MNIST is not installed' }
        Copy-Item -LiteralPath ([System.IO.Path]::Combine($PSScriptRoot, '..', 'examples')) -Destination $folder -Recurse
        Push-Location -LiteralPath $folder
        try {
            $ErrorActionPreference = 'Stop'
            $ProgressPreference = 'SilentlyContinue'
            $hasImportExcel = [bool](Get-Command Export-Excel -ErrorAction Ignore)
            foreach ($line in $Lines) {
                # Lines that use the ImportExcel module run only where it is installed.
                if ($line.Code -match '(Import|Export)-Excel' -and -not $hasImportExcel) { continue }
                $printed = (. ([scriptblock]::Create($line.Code)) | Out-String -Width 80).Trim()
                if ($line.Output.Count -eq 1) { $printed | Should -Be $line.Output[0] -Because "PS> $($line.Code)" }
            }
        }
        finally { Pop-Location }
    }
}
