using System.Linq;
using System.Management.Automation;
using BackpropModule.Tests.Infrastructure;
using Xunit;

namespace BackpropModule.Tests
{
    /// <summary>ConvertTo-Dataset: rows as Import-Csv gives them (strings), objects, hashtables; label mapping; row errors.</summary>
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
        public void CsvStringRowsBecomeAClassificationDataset()
        {
            var r = ps.Run(CsvRows + @"
                $d = $rows | ConvertTo-Dataset -FeatureProperty x1, x2 -LabelProperty species -Name iris
                $d; ,$d.Features; ,$d.Labels; ,$d.ClassNames; ,$d.Targets").AssertNoErrors();
            var o = r.Objects;
            Assert.Equal("BackpropModule.Engine.Data.Dataset", PS.TypeName(o[0]));
            Assert.Equal("iris", PS.Prop(o[0], "Name"));
            Assert.Equal(4, PS.Num(o[0], "Count"));
            Assert.Equal(3, PS.Num(o[0], "ClassCount"));
            Assert.Equal(new[] { 0.5, 100, -1.25, 3, 2, 0, 4, 5 }, (double[])o[1]);
            Assert.Equal(new[] { 2, 0, 1, 0 }, (int[])o[2]);
            Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, (string[])o[3]);
            Assert.Equal(new double[] { 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0 }, (double[])o[4]);
        }

        [Fact]
        public void FeaturesDefaultToEveryOtherPropertyInOrder()
        {
            var r = ps.Run(CsvRows + "; $d = $rows | ConvertTo-Dataset -LabelProperty species; $d.FeatureCount; $d.Features[1]").AssertNoErrors();
            Assert.Equal(new object[] { 2, 100.0 }, r.Objects);
        }

        [Fact]
        public void IntegerLabelsAreClassIndicesAndHashtablesWork()
        {
            var r = ps.Run(@"
                $d = @(@{ a = 0; b = 0; y = 0 }, @{ a = 0; b = 1; y = 1 }, @{ a = 1; b = 0; y = 1 }, @{ a = 1; b = 1; y = 0 }) |
                    ConvertTo-Dataset -LabelProperty y -ClassCount 3
                $d.ClassCount; ,$d.Features; ,$d.Labels; $null -eq $d.ClassNames").AssertNoErrors();
            Assert.Equal(3, r.Objects[0]);
            Assert.Equal(new double[] { 0, 0, 0, 1, 1, 0, 1, 1 }, (double[])r.Objects[1]);
            Assert.Equal(new[] { 0, 1, 1, 0 }, (int[])r.Objects[2]);
            Assert.Equal(true, r.Objects[3]);
        }

        [Fact]
        public void ClassNamesFixTheMapping()
        {
            var r = ps.Run(CsvRows + "; ,($rows | ConvertTo-Dataset -LabelProperty species -ClassNames virginica, setosa, versicolor).Labels").AssertNoErrors();
            Assert.Equal(new[] { 0, 1, 2, 1 }, (int[])r.Objects[0]);
        }

        [Fact]
        public void RegressionTakesNumericTargets()
        {
            var r = ps.Run(@"
                $d = 1..4 | ForEach-Object { [pscustomobject]@{ x = ""$_""; y = [string]($_ * 2.5); z = $_ } } |
                    ConvertTo-Dataset -FeatureProperty x -TargetProperty y, z
                $d.IsClassification; $d.TargetWidth; ,$d.Targets").AssertNoErrors();
            Assert.Equal(false, r.Objects[0]);
            Assert.Equal(2, r.Objects[1]);
            Assert.Equal(new double[] { 2.5, 1, 5, 2, 7.5, 3, 10, 4 }, (double[])r.Objects[2]);
        }

        [Fact]
        public void InputObjectArrayIsRowsToo()
        {
            var r = ps.Run(CsvRows + "; (ConvertTo-Dataset -InputObject $rows -LabelProperty species).Count").AssertNoErrors();
            Assert.Equal(4, r.Objects.Single());
        }

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

        [Fact]
        public void UnknownLabelAndEmptyInputAreErrors()
        {
            var e = ps.Run(CsvRows + "; $rows | ConvertTo-Dataset -LabelProperty species -ClassNames setosa, virginica").SingleError();
            Assert.StartsWith("DatasetLabelInvalid,", e.FullyQualifiedErrorId);
            Assert.Contains("Row 3", e.Exception.Message);
            e = ps.Run("@() | ConvertTo-Dataset -LabelProperty y").SingleError();
            Assert.StartsWith("DatasetEmpty,", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
        }

        [Fact]
        public void AboutTopicExplainsTheDataCmdlets()
        {
            string text = (string)ps.Run("Get-Help about_BackpropModule_Data | ForEach-Object { \"$_\" }").AssertNoErrors().Objects.Single();
            foreach (string word in new[] { "Import-IdxDataset", "ConvertTo-Dataset", "Split-Dataset", "Select-DatasetSample", "IdxTruncated", "invariant culture" })
                Assert.Contains(word, text);
        }
    }
}
