using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>
    /// The ErrorRecords of ConvertTo-Dataset's row errors: category, the message naming row and
    /// property, the offending row itself as TargetObject. What users type: tests/Data.Tests.ps1.
    /// </summary>
    public sealed class DataConversionTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession ps;
        public DataConversionTests(PowerShellSession session) => ps = session;

        /// <summary>Rows shaped like Import-Csv output: every value a string.</summary>
        private const string CsvRows = @"
            $rows = @(
                [pscustomobject]@{ x1 = '0.5';  x2 = '1e2'; species = 'virginica' }
                [pscustomobject]@{ x1 = '-1.25'; x2 = '3';  species = 'setosa' }
                [pscustomobject]@{ x1 = '2';    x2 = '0.0'; species = 'versicolor' }
                [pscustomobject]@{ x1 = '4';    x2 = '5';   species = 'setosa' }
            )";

        [Fact]
        public void MissingPropertyNamesRowAndProperty()
        {
            var r = ps.Run(CsvRows + "; $rows += [pscustomobject]@{ x1 = '1'; species = 'setosa' }; $rows | ConvertTo-Dataset -FeatureProperty x1, x2 -LabelProperty species");
            var e = r.SingleError();
            Assert.StartsWith("DatasetRowPropertyMissing,", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
            Assert.Contains("Row 5", e.Exception.Message);
            Assert.Contains("'x2'", e.Exception.Message);
            Assert.Equal("1", PS.Prop(e.TargetObject, "x1"));
            Assert.Empty(r.Output);
        }

        [Fact]
        public void NonNumericFeatureNamesRowAndProperty()
        {
            var e = ps.Run(CsvRows + "; $rows[2].x1 = 'n/a'; $rows | ConvertTo-Dataset -LabelProperty species").SingleError();
            Assert.StartsWith("DatasetRowValueInvalid,", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
            Assert.Contains("Row 3", e.Exception.Message);
            Assert.Contains("'x1'", e.Exception.Message);
        }
    }
}
