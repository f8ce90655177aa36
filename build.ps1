<#
.SYNOPSIS
    Builds, tests, packages or cleans BackpropModule (wraps the dotnet CLI; Windows, Linux, macOS).
.DESCRIPTION
    Build    dotnet build -c <Configuration>: compiles both targets (net8.0, netstandard2.0) and lays
             out the shippable module in out/BackpropModule.
    Test     Build, then dotnet test for every tests/*/*.Tests.csproj, then Invoke-Pester ./tests when
             Pester 5 or later is installed (skipped with a warning otherwise).
    Package  Build, then zips out/BackpropModule into out/BackpropModule.<version>.zip.
    Clean    Removes out/, TestResults/ and the bin/ and obj/ folders of every project.
.PARAMETER Task
    What to do: Build (default), Test, Package or Clean.
.PARAMETER Configuration
    The dotnet build configuration, Release by default.
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = [System.IO.Path]::Combine($root, 'BackpropModule.slnx')
$moduleOut = [System.IO.Path]::Combine($root, 'out', 'BackpropModule')

function Invoke-Dotnet {
    param([string[]] $Arguments)
    Write-Verbose ("dotnet " + ($Arguments -join ' '))
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Dotnet @('build', $solution, '-c', $Configuration, '-nologo')
    Write-Information "Module laid out in $moduleOut" -InformationAction Continue
}

function Invoke-Test {
    Invoke-Build
    $failed = @()
    foreach ($project in Get-ChildItem -Path ([System.IO.Path]::Combine($root, 'tests')) -Filter '*.Tests.csproj' -Recurse) {
        & dotnet test $project.FullName -c $Configuration --no-build -nologo
        if ($LASTEXITCODE -ne 0) { $failed += $project.BaseName }
    }
    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0' } | Select-Object -First 1
    if ($pester) {
        Import-Module -Name Pester -MinimumVersion 5.0
        $result = Invoke-Pester -Path ([System.IO.Path]::Combine($root, 'tests')) -PassThru
        if ($result.FailedCount -gt 0) { $failed += 'Pester' }
    }
    else {
        Write-Warning 'Pester 5 is not installed; skipping tests/*.Tests.ps1 (Install-Module Pester -MinimumVersion 5.0).'
    }
    if ($failed.Count -gt 0) { throw "Failed: $($failed -join ', ')" }
}

function Invoke-Package {
    Invoke-Build
    $manifest = Import-PowerShellDataFile -Path ([System.IO.Path]::Combine($moduleOut, 'BackpropModule.psd1'))
    $zip = [System.IO.Path]::Combine($root, 'out', "BackpropModule.$($manifest.ModuleVersion).zip")
    if ([System.IO.File]::Exists($zip)) { Remove-Item -LiteralPath $zip }
    Compress-Archive -Path $moduleOut -DestinationPath $zip
    Write-Information "Package: $zip" -InformationAction Continue
}

function Invoke-Clean {
    foreach ($dir in @('out', 'TestResults')) {
        $path = [System.IO.Path]::Combine($root, $dir)
        if ([System.IO.Directory]::Exists($path)) { Remove-Item -LiteralPath $path -Recurse -Force }
    }
    Get-ChildItem -Path $root -Directory -Recurse -Include 'bin', 'obj' |
        Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' } |
        ForEach-Object { if ([System.IO.Directory]::Exists($_.FullName)) { Remove-Item -LiteralPath $_.FullName -Recurse -Force } }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Clean' { Invoke-Clean }
}
