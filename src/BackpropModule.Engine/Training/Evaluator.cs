using System;
using System.Globalization;
using BackpropModule.Engine.Data;

namespace BackpropModule.Engine.Training
{
    /// <summary>Evaluates a network on a dataset in batches through a <see cref="BatchWorkspace"/> (Test-Network).</summary>
    public static class Evaluator
    {
        /// <summary>
        /// Loss for every dataset; accuracy, confusion matrix and per-class precision/recall/F1 for
        /// classification data (predicted class = largest output, or output ≥ 0.5 for a single sigmoid
        /// output); mean absolute and root-mean-square error for regression data.
        /// </summary>
        /// <exception cref="BackpropException">The dataset does not fit the network (DatasetFeatureMismatch …).</exception>
        public static EvaluationResult Evaluate(Network network, Dataset data, int batchSize = 1000)
        {
            if (network == null) throw new ArgumentNullException(nameof(network));
            DatasetChecks.CheckFits(network, data, "test");
            if (batchSize < 1)
                throw new BackpropException(ErrorIds.TrainingOptionInvalid, ErrorKind.InvalidArgument, batchSize, $"The batch size must be at least 1; got {batchSize}.");
            var ws = new BatchWorkspace(network, Math.Min(batchSize, data.Count));
            int k = network.OutputSize, classes = k == 1 ? 2 : k;
            bool cls = data.IsClassification;
            var counts = cls ? new int[classes, classes] : null;
            double lossSum = 0, absSum = 0, sqSum = 0;
            for (int start = 0; start < data.Count; start += ws.MaxBatchSize)
            {
                int n = Math.Min(ws.MaxBatchSize, data.Count - start);
                var r = ws.EvaluateBatch(data, start, n);
                lossSum += r.Loss * n;
                var y = ws.LastOutput.Data;
                for (int i = 0; i < n; i++)
                {
                    int s = start + i;
                    if (cls)
                    {
                        int predicted = 0;
                        if (k == 1) predicted = y[i] >= 0.5 ? 1 : 0;
                        else for (int c = 1; c < k; c++) if (y[i + c * n] > y[i + predicted * n]) predicted = c;
                        int actual = data.Labels[s];
                        if (actual >= 0 && actual < classes) counts[actual, predicted]++;
                    }
                    else
                        for (int c = 0; c < k; c++)
                        {
                            double d = y[i + c * n] - data.Targets[s * k + c];
                            absSum += Math.Abs(d); sqSum += d * d;
                        }
                }
            }
            var result = new EvaluationResult
            {
                Dataset = data.Name, Architecture = network.Architecture, Count = data.Count,
                LossName = network.Loss, Loss = lossSum / data.Count,
            };
            if (!cls)
            {
                result.MeanAbsoluteError = absSum / ((double)data.Count * k);
                result.RootMeanSquaredError = Math.Sqrt(sqSum / ((double)data.Count * k));
                return result;
            }
            var names = new string[classes];
            for (int c = 0; c < classes; c++)
                names[c] = data.ClassNames != null && c < data.ClassNames.Length ? data.ClassNames[c] : c.ToString(CultureInfo.InvariantCulture);
            result.ConfusionMatrix = new ConfusionMatrix(counts, names);
            var metrics = new ClassMetrics[classes];
            long hits = 0;
            double f1Sum = 0;
            for (int c = 0; c < classes; c++)
            {
                int tp = counts[c, c], support = 0, predicted = 0;
                for (int j = 0; j < classes; j++) { support += counts[c, j]; predicted += counts[j, c]; }
                double p = predicted == 0 ? 0 : (double)tp / predicted, rc = support == 0 ? 0 : (double)tp / support;
                double f1 = p + rc == 0 ? 0 : 2 * p * rc / (p + rc);
                metrics[c] = new ClassMetrics { Class = c, Name = names[c], Support = support, Predicted = predicted, TruePositives = tp, Precision = p, Recall = rc, F1 = f1 };
                hits += tp;
                f1Sum += f1;
            }
            result.Classes = metrics;
            result.Accuracy = (double)hits / data.Count;
            result.MacroF1 = f1Sum / classes;
            return result;
        }
    }
}
