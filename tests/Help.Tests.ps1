#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5: what a user finds before running anything. Every exported cmdlet has complete help:
# synopsis, description, every parameter documented, at least two examples shown by
# Get-Help -Examples; the syntax Get-Help shows is the one Get-Command knows (regenerate it with
# tools/Update-HelpSyntax.ps1). The about topics are found and fit 80 columns; the manifest, the
# shipped layout and the loader's choice of build. That every example runs: HelpExamples.Tests.ps1.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    $cmdlets = foreach ($c in Get-Command -Module BackpropModule -CommandType Cmdlet) { @{ Name = $c.Name } }
    $topics = @(
        @{ Topic = 'about_BackpropModule'; Phrases = @('SHORT DESCRIPTION', 'CHAIN RULE', 'Invoke-Backward',
                'CHECKING GRADIENTS: READING RELATIVE ERROR', '|a - n| / max(|a|, |n|)', '1e-7', 'Kinks', '-Epsilon', 'GradientCheckFailed', 'PassGradientCheck') }
        @{ Topic = 'about_BackpropModule_Data'; Phrases = @('Import-IdxDataset', 'ConvertTo-Dataset', 'Split-Dataset', 'Select-DatasetSample', 'IdxTruncated', 'invariant culture') }
    )
    $builds = @(@{ Build = 'net8.0' }, @{ Build = 'netstandard2.0' })
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
    }

    It 'has a synopsis of its own' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name *"
    }

    It 'has a description of more than a line' {
        ($help.Description.Text -join ' ').Length | Should -BeGreaterThan 40
    }

    It 'documents parameter <_>' -ForEach @((Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin ([System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters) }) {
        $parameterName = $_
        $documented = $help.parameters.parameter | Where-Object { $_.name -eq $parameterName }
        $documented | Should -Not -BeNullOrEmpty
        ($documented.description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'shows one syntax per parameter set, with the sets'' parameters and required flags' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $expected = @((Get-Command $Name).ParameterSets | ForEach-Object {
                (@($_.Parameters | Where-Object Name -notin $common | ForEach-Object { "$($_.Name):$($_.IsMandatory)" }) | Sort-Object) -join ','
            } | Sort-Object)
        $shown = @($help.syntax.syntaxItem | ForEach-Object {
                (@($_.parameter | ForEach-Object { "$($_.name):$($_.required -eq 'true')" }) | Sort-Object) -join ','
            } | Sort-Object)
        $shown | Should -Be $expected
    }

    It 'has at least two examples, shown by Get-Help -Examples' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        $help.Examples.Example[0].Code | Should -Not -BeNullOrEmpty
        $text = Get-Help $Name -Examples | Out-String -Width 120
        $text | Should -BeLike '*Example 1*'
        $text | Should -BeLike '*Example 2*'
        $text | Should -BeLike "*$Name*"
    }
}

Describe 'About topic <Topic>' -ForEach $topics {
    It 'is found by Get-Help and says what it should' {
        # Whitespace folded, so a phrase wrapped across lines is still found.
        $text = (Get-Help $Topic | Out-String -Width 120) -replace '\s+', ' '
        $text | Should -BeLike "*$Topic*"
        foreach ($phrase in $Phrases) { $text.Contains($phrase) | Should -BeTrue -Because "the topic explains '$phrase'" }
    }

    It 'fits in 80 columns' {
        $path = [System.IO.Path]::Combine($PSScriptRoot, '..', 'en-US', "$Topic.help.txt")
        $number = 0
        # The region markers (<!-- ... -->) are for merging and are stripped before release.
        $wide = foreach ($line in [System.IO.File]::ReadAllLines($path)) {
            $number++
            if ($line.Length -gt 80 -and -not $line.StartsWith('<!--')) { "line $number ($($line.Length))" }
        }
        $wide | Should -BeNullOrEmpty
    }
}

Describe 'The module as shipped' {
    BeforeAll {
        $moduleOut = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BackpropModule'))
        $manifest = Import-PowerShellDataFile -Path ([System.IO.Path]::Combine($moduleOut, 'BackpropModule.psd1'))
    }

    It 'declares both editions, PowerShell 5.1 and its cmdlets by name' {
        $manifest.CompatiblePSEditions | Should -Be 'Desktop', 'Core'
        $manifest.PowerShellVersion | Should -Be '5.1'
        @($manifest.CmdletsToExport | Where-Object { $_.Contains('*') }) | Should -BeNullOrEmpty
        @($manifest.CmdletsToExport).Count | Should -BeGreaterThan 0
        $manifest.FunctionsToExport | Should -BeNullOrEmpty
        $manifest.VariablesToExport | Should -BeNullOrEmpty
        $manifest.AliasesToExport | Should -BeNullOrEmpty
    }

    It 'exports no functions, variables or aliases once imported' {
        $module = Get-Module BackpropModule
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }

    It 'has the gallery metadata' {
        $data = $manifest.PrivateData.PSData
        $data.Tags | Should -Contain 'PSEdition_Desktop'
        $data.Tags | Should -Contain 'PSEdition_Core'
        @($data.Tags).Count | Should -BeGreaterOrEqual 4
        [uri]::IsWellFormedUriString($data.LicenseUri, 'Absolute') | Should -BeTrue
        [uri]::IsWellFormedUriString($data.ProjectUri, 'Absolute') | Should -BeTrue
    }

    It 'lays out both builds with their help, the loader, views and about topic, and no PowerShell assembly' {
        foreach ($tfm in 'net8.0', 'netstandard2.0') {
            # The Open XML SDK Export-Workbook writes with ships in both builds.
            foreach ($file in 'BackpropModule.dll', 'BackpropModule.Engine.dll', [System.IO.Path]::Combine('en-US', 'BackpropModule.dll-Help.xml'), 'DocumentFormat.OpenXml.dll', 'DocumentFormat.OpenXml.Framework.dll', 'System.IO.Packaging.dll') {
                [System.IO.File]::Exists([System.IO.Path]::Combine($moduleOut, $tfm, $file)) | Should -BeTrue -Because "$tfm/$file ships"
            }
        }
        foreach ($file in 'BackpropModule.psd1', 'BackpropModule.psm1', 'BackpropModule.Format.ps1xml', 'BackpropModule.Types.ps1xml', [System.IO.Path]::Combine('en-US', 'about_BackpropModule.help.txt')) {
            [System.IO.File]::Exists([System.IO.Path]::Combine($moduleOut, $file)) | Should -BeTrue -Because "$file ships"
        }
        [System.IO.Directory]::EnumerateFiles($moduleOut, 'System.Management.Automation*.dll', 'AllDirectories') | Should -BeNullOrEmpty
    }

    Context 'Given BACKPROP_BUILD=<Build> in a fresh pwsh' -ForEach $builds {
        It 'loads that build and trains with it' {
            # pwsh as a .NET tool runs as `dotnet pwsh.dll`; its folder also holds the pwsh apphost.
            $pwsh = [System.IO.Path]::Combine($PSHOME, $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }))
            $script = @'
$ErrorActionPreference = 'Stop'
Import-Module $env:BACKPROP_TEST_MODULE
$net = New-Network -LayerSizes 3,4,3 -Seed 1
$pass = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0
$pass | Invoke-Backward | Update-Network
$after = $net | Invoke-Forward -InputObject 1, 2, 3 -Target 0
'loaded ' + [System.IO.Path]::GetFileName([System.IO.Path]::GetDirectoryName([BackpropModule.Engine.Network].Assembly.Location))
'lowered ' + ($after.Loss -lt $pass.Loss)
'@
            $saved = $env:BACKPROP_BUILD, $env:BACKPROP_TEST_MODULE
            $env:BACKPROP_BUILD = $Build
            $env:BACKPROP_TEST_MODULE = [System.IO.Path]::Combine($moduleOut, 'BackpropModule.psd1')
            try { $out = & $pwsh -NoProfile -NonInteractive -Command $script }
            finally { $env:BACKPROP_BUILD, $env:BACKPROP_TEST_MODULE = $saved }
            $LASTEXITCODE | Should -Be 0
            $out | Should -Contain "loaded $Build"
            $out | Should -Contain 'lowered True'
        }
    }
}
