@{
    RootModule           = 'BackpropModule.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3c1e-8d47-4a8e-9b1f-2c6d7e4a9f10'
    Author               = 'BackpropModule developers'
    CompanyName          = 'BackpropModule'
    Copyright            = '(c) 2026 BackpropModule developers. MIT License.'
    Description          = 'Build, inspect, verify and train fully-connected neural networks with hand-written backpropagation. Every step (forward pass, gradients, update) is an object on the pipeline.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    TypesToProcess       = @(
        'BackpropModule.Types.ps1xml'
        # gradient types
        # training types
        # data types
        # persist types
        'Persist.Types.ps1xml'
    )
    FormatsToProcess     = @(
        'BackpropModule.Format.ps1xml'
        # gradient formats
        'Gradient.Format.ps1xml'
        # training formats
        'Training.Format.ps1xml'
        # data formats
        'Data.Format.ps1xml'
        # persist formats
        'Persist.Format.ps1xml'
    )
    CmdletsToExport      = @(
        'New-Network'
        'Invoke-Forward'
        'Invoke-Backward'
        'Update-Network'
        'Set-NetworkParameter'
        # gradient cmdlets
        'Test-Gradient'
        # training cmdlets
        'Start-Training'
        'Test-Network'
        'New-Optimizer'
        'New-Dataset'
        # data cmdlets
        'Import-IdxDataset'
        'ConvertTo-Dataset'
        'Split-Dataset'
        'Select-DatasetSample'
        # persist cmdlets
        'Save-Network'
        'Import-Network'
        'Export-NetworkOnnx'
        'Export-Workbook'
        # plot cmdlets
        'Export-Plot'
        'Show-Plot'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('NeuralNetwork', 'Backpropagation', 'MachineLearning', 'DeepLearning', 'Education', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/backpropmodule/BackpropModule'
            ReleaseNotes = 'First release: networks, forward and backward passes, gradient descent.'
        }
    }
}
