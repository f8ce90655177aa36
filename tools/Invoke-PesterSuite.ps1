<#
.SYNOPSIS
    Runs the Pester suite (tests/*.Tests.ps1) in this pwsh against one build of the module.
.DESCRIPTION
    Imports Pester from .tools/packages (restored from NuGet by tools/TestDependencies, never from a
    gallery), sets $env:BACKPROP_BUILD so the module's loader picks the requested build, runs the
    suite and writes one result object: Build, Passed, Failed, Skipped, Duration. With -ResultPath,
    NUnit XML results go there too.
.EXAMPLE
    dotnet pwsh ./tools/Invoke-PesterSuite.ps1 -Build netstandard2.0
.EXAMPLE
    dotnet pwsh ./tools/Invoke-PesterSuite.ps1 -Path ./tests/Data.Tests.ps1 -Output Detailed
#>
[CmdletBinding()]
param(
    [ValidateSet('net8.0', 'netstandard2.0')]
    [string] $Build = 'net8.0',
    [string[]] $Path = @([System.IO.Path]::Combine($PSScriptRoot, '..', 'tests')),
    [string] $FullNameFilter,
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Output = 'Normal',
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
$root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..'))
$pesterVersion = '5.7.1'
$pesterManifest = [System.IO.Path]::Combine($root, '.tools', 'packages', 'pester', $pesterVersion, 'tools', 'Pester.psd1')
if (-not [System.IO.File]::Exists($pesterManifest)) {
    & dotnet restore ([System.IO.Path]::Combine($root, 'tools', 'TestDependencies')) -nologo -v q | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Could not restore Pester $pesterVersion from NuGet." }
}
Import-Module -Name $pesterManifest -Force
$env:BACKPROP_BUILD = $Build
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = $Output
if ($FullNameFilter) { $config.Filter.FullName = $FullNameFilter }
if ($ResultPath) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = $ResultPath
}
$result = Invoke-Pester -Configuration $config
[pscustomobject]@{
    Build    = $Build
    Passed   = $result.PassedCount
    Failed   = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped  = $result.SkippedCount
    Duration = $result.Duration
}
