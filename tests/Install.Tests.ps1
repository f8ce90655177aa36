# Pester 5: the module installs the PowerShell way. The built module (out/BackpropModule) is
# published to a local file repository, saved from it with PSResourceGet, imported by name in a
# fresh pwsh and used to train the built-in spiral set.

BeforeAll {
    $moduleOut = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BackpropModule'))
    $manifestPath = [System.IO.Path]::Combine($moduleOut, 'BackpropModule.psd1')
    # pwsh as a .NET tool runs as `dotnet pwsh.dll`; its folder also holds the pwsh apphost.
    $pwsh = [System.IO.Path]::Combine($PSHOME, $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }))
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest and exports exactly the cmdlets it names' {
        $m = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $m.Name | Should -Be 'BackpropModule'
        $declared = (Import-PowerShellDataFile -Path $manifestPath).CmdletsToExport
        $imported = (Import-Module $manifestPath -Force -PassThru).ExportedCmdlets.Keys
        ($imported | Sort-Object) | Should -Be ($declared | Sort-Object)
    }
}

Describe 'Installing with PSResourceGet' {
    BeforeAll {
        $work = [System.IO.Path]::Combine($TestDrive, 'install')
        $repo = [System.IO.Path]::Combine($work, 'repo')
        $saved = [System.IO.Path]::Combine($work, 'modules')
        $null = [System.IO.Directory]::CreateDirectory($repo)
        $null = [System.IO.Directory]::CreateDirectory($saved)
        $repoName = 'BackpropTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-PSResourceRepository -Name $repoName -Uri $repo -Trusted
        Publish-PSResource -Path $moduleOut -Repository $repoName -SkipDependenciesCheck
        Save-PSResource -Name BackpropModule -Repository $repoName -Path $saved -TrustRepository
    }
    AfterAll {
        if ($repoName) { Unregister-PSResourceRepository -Name $repoName -ErrorAction SilentlyContinue }
    }

    Context 'Given the package published to a file repository' {
        It 'holds the module and nothing from tests, bench or tools' {
            $nupkg = Get-ChildItem -LiteralPath $repo -Filter 'BackpropModule.*.nupkg' | Select-Object -First 1
            $nupkg | Should -Not -BeNullOrEmpty
            Add-Type -AssemblyName System.IO.Compression.FileSystem
            $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
            try { $names = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
            $names | Should -Contain 'BackpropModule.psd1'
            $names | Should -Contain 'net8.0/BackpropModule.dll'
            $names | Should -Contain 'netstandard2.0/BackpropModule.Engine.dll'
            $names | Where-Object { $_ -match '^(tests|bench|tools)/|System\.Management\.Automation\.dll|\.Tests\.' } | Should -BeNullOrEmpty
        }
        It 'is imported by name in a fresh pwsh and trains the spiral set' {
            $script = @'
$ErrorActionPreference = 'Stop'
Import-Module BackpropModule
$m = Get-Module BackpropModule
$data = New-Dataset -Kind Spiral -Seed 1
$net = New-Network -LayerSizes 2, 32, 3 -Activation ReLU -Output Softmax -Seed 1
$null = $net | Start-Training -Data $data -Epochs 30 -BatchSize 32 -Optimizer Adam -LearningRate 0.01 -Seed 1
$eval = $net | Test-Network -Data $data
"$($m.ModuleBase)|$($eval.Accuracy)"
'@
            $env:PSModulePath, $old = ($saved + [System.IO.Path]::PathSeparator + $env:PSModulePath), $env:PSModulePath
            try { $out = & $pwsh -NoProfile -NonInteractive -Command $script } finally { $env:PSModulePath = $old }
            $LASTEXITCODE | Should -Be 0
            $base, $accuracy = ($out | Select-Object -Last 1) -split '\|'
            $base | Should -BeLike "$saved*"
            [double]$accuracy | Should -BeGreaterThan 0.8
        }
    }
}
