using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using BackpropModule.Engine.Training;
using BackpropModule.Plotting;

namespace BackpropModule.Infrastructure
{
    /// <summary>
    /// Start-Training -Plot: the loss chart of Show-Plot, redrawn in place on the host as epochs end
    /// (at most a few times a second, and always after the last epoch). On a host without virtual
    /// terminal support the chart is written once, at the end.
    /// </summary>
    internal sealed class LiveLossChart
    {
        private readonly PSCmdlet cmdlet;
        private readonly List<string> columns = new List<string> { "Epoch", "TrainingLoss", "ValidationLoss" };
        private readonly List<double?[]> rows = new List<double?[]>();
        private readonly Stopwatch throttle = Stopwatch.StartNew();
        private readonly bool inPlace;
        private int linesShown;

        internal LiveLossChart(PSCmdlet cmdlet)
        {
            this.cmdlet = cmdlet;
            inPlace = Commands.ShowPlotCommand.UseColor(cmdlet);
        }

        /// <summary>Adds an epoch and redraws when the last redraw is old enough.</summary>
        internal void Add(EpochRecord record)
        {
            rows.Add(new double?[] { record.Epoch, record.TrainingLoss, record.ValidationLoss });
            if (inPlace && (throttle.ElapsedMilliseconds >= 250 || record.Epoch == record.LastEpoch)) Draw();
        }

        /// <summary>Draws the final chart (on every host).</summary>
        internal void Finish()
        {
            if (rows.Count > 0 && (!inPlace || throttle.ElapsedMilliseconds > 0)) Draw();
        }

        private void Draw()
        {
            throttle.Restart();
            string[] lines = Commands.ShowPlotCommand.LossChart(new TrainingHistory(columns, rows),
                Commands.ShowPlotCommand.ConsoleWidth(cmdlet), 12, "Loss per epoch (Start-Training -Plot)", false, inPlace);
            var ui = cmdlet.Host.UI;
            // Move up over the previous chart and clear to the end of the screen, then draw again.
            if (inPlace && linesShown > 0) ui.Write("\u001b[" + linesShown + "A\u001b[0J");
            foreach (string line in lines) ui.WriteLine(line);
            linesShown = lines.Length;
        }
    }
}
