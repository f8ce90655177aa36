#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Every exported cmdlet has complete help: synopsis, description, every parameter documented and at
# least one example. Run with: Invoke-Pester ./tests/Help.Tests.ps1 (build first). The hosted xunit
# suite runs the same checks (tests/BackpropModule.Tests/GradientHelpTests.cs).

BeforeDiscovery {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    $cmdlets = foreach ($c in Get-Command -Module BackpropModule -CommandType Cmdlet) { @{ Name = $c.Name } }
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

    It 'has a description' {
        ($help.Description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'documents parameter <_>' -ForEach @((Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin ([System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters) }) {
        $parameterName = $_
        $documented = $help.parameters.parameter | Where-Object { $_.name -eq $parameterName }
        $documented | Should -Not -BeNullOrEmpty
        ($documented.description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 1
        $help.Examples.Example[0].Code | Should -Not -BeNullOrEmpty
    }
}
