<#
.SYNOPSIS
    The front door: builds, tests, packages, cleans BackpropModule, or runs the main job.
.DESCRIPTION
    Run it with the pinned pwsh (`dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test`); it
    needs nothing but the .NET SDK. Every task restores what it needs from NuGet itself.

    Build    dotnet build -c <Configuration>: compiles both targets (net8.0, netstandard2.0) and lays
             out the shippable module in out/BackpropModule.
    Test     Build, then every tests/*/*.Tests.csproj (xunit), then Invoke-Pester ./tests in a fresh
             pwsh once against the net8.0 build and once against the netstandard2.0 build (Pester
             5.7.1 restored from NuGet into .tools/). Ends with one line "N passed, N failed"
             counting all of them; any failure makes the script exit 1.
    Package  Build, then out/BackpropModule.<version>.nupkg: a module package that PSResourceGet
             (Install-PSResource, Save-PSResource) installs from a file repository.
    Run      Build, then the main job: examples/07-TrainFashionMnist.ps1 (Fashion-MNIST when it is
             installed, the built-in spiral data otherwise). -Quick trains briefly.
    Clean    Removes out/, TestResults/, .tools/ and the bin/ and obj/ folders of every project.
.PARAMETER Task
    What to do: Build (default), Test, Package, Run or Clean.
.PARAMETER Configuration
    The dotnet build configuration, Release by default.
.PARAMETER Quick
    With Run: a short run of the main job (one epoch on a subset).
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Run
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Run', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [switch] $Quick
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = [System.IO.Path]::Combine($root, 'BackpropModule.slnx')
$moduleOut = [System.IO.Path]::Combine($root, 'out', 'BackpropModule')
# pwsh as a .NET tool runs as `dotnet pwsh.dll`; its folder also holds the pwsh apphost.
$pwshPath = [System.IO.Path]::Combine($PSHOME, $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }))

function Invoke-Dotnet {
    param([string[]] $Arguments)
    Write-Verbose ("dotnet " + ($Arguments -join ' '))
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Dotnet @('build', $solution, '-c', $Configuration, '-nologo', '-v', 'q')
    Write-Information "Module laid out in $moduleOut" -InformationAction Continue
}

function Get-TrxCount([string] $Path) {
    $counters = ([xml][System.IO.File]::ReadAllText($Path)).TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error }
}

function Invoke-XunitSuites([string] $Results) {
    foreach ($project in Get-ChildItem -Path ([System.IO.Path]::Combine($root, 'tests')) -Filter '*.Tests.csproj' -Recurse) {
        $name = $project.BaseName
        & dotnet test $project.FullName -c $Configuration --no-build -nologo `
            --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=minimal' `
            --results-directory ([System.IO.Path]::Combine($Results, $name)) | Out-Host
        $trx = [System.IO.Path]::Combine($Results, $name, "$name.trx")
        $count = if ([System.IO.File]::Exists($trx)) { Get-TrxCount $trx } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
        if ($LASTEXITCODE -ne 0 -and $count.Failed -eq 0) { $count.Failed = 1 }
        [pscustomobject]@{ Suite = "xunit $name"; Passed = $count.Passed; Failed = $count.Failed }
    }
}

function Invoke-PesterBuild([string] $Build, [string] $Results) {
    # A fresh pwsh per build: a module's assembly cannot be unloaded, so each build needs its own process.
    $runner = [System.IO.Path]::Combine($root, 'tools', 'Invoke-PesterSuite.ps1')
    $xml = [System.IO.Path]::Combine($Results, "Pester-$Build.xml")
    $json = & $pwshPath -NoProfile -NonInteractive -Command "& '$runner' -Build $Build -ResultPath '$xml' -Output Normal | Select-Object Passed, Failed | ConvertTo-Json -Compress" |
        Tee-Object -Variable lines | Select-Object -Last 1
    $lines | Select-Object -SkipLast 1 | Out-Host
    try { $count = $json | ConvertFrom-Json } catch { $count = [pscustomobject]@{ Passed = 0; Failed = 1 } }
    if ($LASTEXITCODE -ne 0 -and $count.Failed -eq 0) { $count.Failed = 1 }
    [pscustomobject]@{ Suite = "Pester $Build"; Passed = [int]$count.Passed; Failed = [int]$count.Failed }
}

function Invoke-Test {
    $results = [System.IO.Path]::Combine($root, 'TestResults')
    if ([System.IO.Directory]::Exists($results)) { Remove-Item -LiteralPath $results -Recurse -Force }
    $null = [System.IO.Directory]::CreateDirectory($results)
    Invoke-Dotnet @('restore', ([System.IO.Path]::Combine($root, 'tools', 'TestDependencies')), '-nologo', '-v', 'q')
    $suites = @()
    try { Invoke-Build }
    catch {
        Write-Host $_
        $suites += [pscustomobject]@{ Suite = 'build'; Passed = 0; Failed = 1 }
    }
    if ($suites.Count -eq 0) {
        $suites += @(Invoke-XunitSuites $results)
        foreach ($build in 'net8.0', 'netstandard2.0') { $suites += Invoke-PesterBuild $build $results }
    }
    $suites | Format-Table -AutoSize | Out-Host
    $passed = ($suites | Measure-Object -Property Passed -Sum).Sum
    $failed = ($suites | Measure-Object -Property Failed -Sum).Sum
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Package {
    Invoke-Build
    $manifest = Import-PowerShellDataFile -Path ([System.IO.Path]::Combine($moduleOut, 'BackpropModule.psd1'))
    $repo = [System.IO.Path]::Combine($root, 'out', 'repository')
    $null = [System.IO.Directory]::CreateDirectory($repo)
    $nupkg = [System.IO.Path]::Combine($repo, "BackpropModule.$($manifest.ModuleVersion).nupkg")
    if ([System.IO.File]::Exists($nupkg)) { Remove-Item -LiteralPath $nupkg }
    $name = 'BackpropModuleBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Register-PSResourceRepository -Name $name -Uri $repo -Trusted
    try { Publish-PSResource -Path $moduleOut -Repository $name -SkipDependenciesCheck }
    finally { Unregister-PSResourceRepository -Name $name }
    Write-Information "Package: $nupkg (install: Register-PSResourceRepository -Name Local -Uri $repo; Install-PSResource BackpropModule -Repository Local)" -InformationAction Continue
}

function Invoke-Run {
    Invoke-Build
    $job = [System.IO.Path]::Combine($root, 'examples', '07-TrainFashionMnist.ps1')
    $quickArg = if ($Quick) { ' -Quick' } else { '' }
    & $pwshPath -NoProfile -NonInteractive -Command "Import-Module '$([System.IO.Path]::Combine($moduleOut, 'BackpropModule.psd1'))'; & '$job'$quickArg"
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Clean {
    foreach ($dir in @('out', 'TestResults', '.tools')) {
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
    'Run' { Invoke-Run }
    'Clean' { Invoke-Clean }
}
