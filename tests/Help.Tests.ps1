#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Every exported cmdlet has complete help: synopsis, description, every parameter documented and at
# least one example; the syntax Get-Help shows is the one Get-Command knows (regenerate it with
# tools/Update-HelpSyntax.ps1). That every example runs: tests/HelpExamples.Tests.ps1.

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

    It 'has at least one example' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 1
        $help.Examples.Example[0].Code | Should -Not -BeNullOrEmpty
    }
}
