using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BackpropModule.Engine.Tensors;

namespace BackpropModule.Engine.Training
{
    /// <summary>How well a network does on a dataset (Test-Network).</summary>
    public sealed class EvaluationResult
    {
        /// <summary>Name of the dataset.</summary>
        public string Dataset { get; internal set; }

        /// <summary>The network's architecture.</summary>
        public string Architecture { get; internal set; }

        /// <summary>Samples evaluated.</summary>
        public int Count { get; internal set; }

        /// <summary>Name of the loss (CrossEntropy, SquaredError, …).</summary>
        public string LossName { get; internal set; }

        /// <summary>Mean loss per sample.</summary>
        public double Loss { get; internal set; }

        /// <summary>Fraction classified correctly; null for regression data.</summary>
        public double? Accuracy { get; internal set; }

        /// <summary>Mean over samples and outputs of |y − t|; null for classification data.</summary>
        public double? MeanAbsoluteError { get; internal set; }

        /// <summary>√(mean of (y − t)²) over samples and outputs; null for classification data.</summary>
        public double? RootMeanSquaredError { get; internal set; }

        /// <summary>Rows = actual class, columns = predicted class; null for regression data.</summary>
        public ConfusionMatrix ConfusionMatrix { get; internal set; }

        /// <summary>Precision, recall and F1 per class; empty for regression data.</summary>
        public IReadOnlyList<ClassMetrics> Classes { get; internal set; } = new ClassMetrics[0];

        /// <summary>Unweighted mean of the per-class F1 scores; null for regression data.</summary>
        public double? MacroF1 { get; internal set; }

        /// <summary>True for classification data.</summary>
        public bool IsClassification => ConfusionMatrix != null;

        /// <summary>The console view: the figures, then for classification the confusion matrix and a per-class table.</summary>
        public string Describe()
        {
            string F(double? v) => v.HasValue ? v.Value.ToString("G6", CultureInfo.InvariantCulture) : "-";
            var sb = new StringBuilder();
            sb.Append("Dataset      ").Append(Dataset).Append(" (").Append(Count.ToString(CultureInfo.InvariantCulture)).AppendLine(" samples)");
            sb.Append("Network      ").AppendLine(Architecture);
            sb.Append("Loss         ").Append(F(Loss)).Append(" (").Append(LossName).AppendLine(")");
            if (!IsClassification)
            {
                sb.Append("MAE          ").AppendLine(F(MeanAbsoluteError));
                sb.Append("RMSE         ").Append(F(RootMeanSquaredError));
                return sb.ToString();
            }
            sb.Append("Accuracy     ").AppendLine(F(Accuracy));
            sb.Append("Macro F1     ").AppendLine(F(MacroF1));
            sb.AppendLine().AppendLine("Confusion matrix (rows = actual, columns = predicted)").AppendLine(ConfusionMatrix.ToString()).AppendLine();
            int w = Math.Max(5, Classes.Max(c => c.Name.Length));
            sb.Append("Class".PadRight(w)).AppendLine("  Support  Precision     Recall         F1");
            sb.Append(new string('-', w)).AppendLine("  -------  ---------  ---------  ---------");
            foreach (var c in Classes)
                sb.Append(c.Name.PadRight(w)).Append("  ").Append(c.Support.ToString(CultureInfo.InvariantCulture).PadLeft(7))
                  .Append("  ").Append(c.Precision.ToString("F4", CultureInfo.InvariantCulture).PadLeft(9))
                  .Append("  ").Append(c.Recall.ToString("F4", CultureInfo.InvariantCulture).PadLeft(9))
                  .Append("  ").AppendLine(c.F1.ToString("F4", CultureInfo.InvariantCulture).PadLeft(9));
            return sb.ToString().TrimEnd();
        }

        /// <inheritdoc/>
        public override string ToString()
        {
            string F(double? v) => v.HasValue ? v.Value.ToString("G6", CultureInfo.InvariantCulture) : "-";
            return IsClassification
                ? $"{Dataset}: {Count} samples, {LossName} {F(Loss)}, accuracy {F(Accuracy)}, macro F1 {F(MacroF1)}"
                : $"{Dataset}: {Count} samples, {LossName} {F(Loss)}, MAE {F(MeanAbsoluteError)}, RMSE {F(RootMeanSquaredError)}";
        }
    }

    /// <summary>Precision, recall and F1 of one class.</summary>
    public sealed class ClassMetrics
    {
        /// <summary>Class index.</summary>
        public int Class { get; internal set; }

        /// <summary>Class name (the index when the dataset has no names).</summary>
        public string Name { get; internal set; }

        /// <summary>Samples whose actual class this is.</summary>
        public int Support { get; internal set; }

        /// <summary>Samples predicted as this class.</summary>
        public int Predicted { get; internal set; }

        /// <summary>Correct predictions of this class.</summary>
        public int TruePositives { get; internal set; }

        /// <summary>TP / predicted (0 when nothing was predicted as this class).</summary>
        public double Precision { get; internal set; }

        /// <summary>TP / support (0 when the class has no samples).</summary>
        public double Recall { get; internal set; }

        /// <summary>2PR / (P + R) (0 when both are 0).</summary>
        public double F1 { get; internal set; }
    }

    /// <summary>A confusion matrix: Counts[actual, predicted].</summary>
    public sealed class ConfusionMatrix
    {
        internal ConfusionMatrix(int[,] counts, string[] names)
        {
            Counts = counts;
            ClassNames = names;
        }

        /// <summary>Number of classes.</summary>
        public int ClassCount => Counts.GetLength(0);

        /// <summary>Counts[actual, predicted].</summary>
        public int[,] Counts { get; }

        /// <summary>Class names, in index order.</summary>
        public IReadOnlyList<string> ClassNames { get; }

        /// <summary>Samples of class actual predicted as class predicted.</summary>
        public int this[int actual, int predicted] => Counts[actual, predicted];

        /// <summary>The counts as a tensor (rows actual, columns predicted), for Export-Excel or arithmetic.</summary>
        public Tensor ToTensor()
        {
            var t = new Tensor(ClassCount, ClassCount);
            for (int r = 0; r < ClassCount; r++) for (int c = 0; c < ClassCount; c++) t[r, c] = Counts[r, c];
            return t;
        }

        /// <summary>
        /// A grid with actual classes down and predicted classes across. When the class names make
        /// it wider than 80 columns, the columns are headed by class index and each row by index and
        /// name, so the grid still fits a console.
        /// </summary>
        public override string ToString()
        {
            string grid = Grid(false);
            return grid.Split('\n').Max(l => l.TrimEnd('\r').Length) <= 80 ? grid : Grid(true);
        }

        private string Grid(bool byIndex)
        {
            int k = ClassCount;
            var cells = new string[k + 1, k + 1];
            cells[0, 0] = "actual \\ predicted";
            for (int i = 0; i < k; i++)
            {
                string index = i.ToString(CultureInfo.InvariantCulture);
                bool nameIsIndex = ClassNames[i] == index;
                cells[0, i + 1] = byIndex ? index : ClassNames[i];
                cells[i + 1, 0] = byIndex && !nameIsIndex ? index + " " + ClassNames[i] : ClassNames[i];
                for (int j = 0; j < k; j++) cells[i + 1, j + 1] = Counts[i, j].ToString(CultureInfo.InvariantCulture);
            }
            var widths = Enumerable.Range(0, k + 1).Select(j => Enumerable.Range(0, k + 1).Max(i => cells[i, j].Length)).ToArray();
            var sb = new StringBuilder();
            for (int i = 0; i <= k; i++)
            {
                for (int j = 0; j <= k; j++)
                {
                    if (j > 0) sb.Append("  ");
                    sb.Append(j == 0 ? cells[i, j].PadRight(widths[j]) : cells[i, j].PadLeft(widths[j]));
                }
                if (i < k) sb.AppendLine();
            }
            return sb.ToString();
        }
    }
}
