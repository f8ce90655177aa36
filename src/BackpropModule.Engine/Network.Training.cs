using System;
using System.Collections.Generic;
using BackpropModule.Engine.Tensors;
using BackpropModule.Engine.Training;

namespace BackpropModule.Engine
{
    /// <summary>The network's training history, and how changes to it are serialised between threads.</summary>
    /// <remarks>
    /// A network may be shared between runspaces or threads. Changes go through one lock per network:
    /// Update-Network steps are applied one at a time (none is lost), and while Start-Training runs on
    /// a network it owns it, so another Start-Training or Update-Network on it fails at once with
    /// <see cref="ErrorIds.NetworkBusy"/> instead of waiting or interleaving. Reading a network that is
    /// being trained elsewhere (Invoke-Forward, Save-Network) may see a step half-applied.
    /// </remarks>
    public sealed partial class Network
    {
        private readonly object mutationLock = new object();
        private readonly List<EpochRecord> history = new List<EpochRecord>();
        private IReadOnlyList<EpochRecord> historyView;
        private bool training;

        /// <summary>
        /// The epoch records of the network's training, oldest first: a run without -Resume starts a new
        /// history, a resumed run appends to it. Each record is added as its epoch ends, so the history
        /// survives a stop (Ctrl+C), an error and a divergence; it is saved with the network. A read-only
        /// snapshot: it does not change when later epochs are added, and reading it again without a change
        /// returns the same snapshot (so <c>$net.History[$i]</c> in a loop copies nothing).
        /// </summary>
        public IReadOnlyList<EpochRecord> History
        {
            get
            {
                lock (history) return historyView ?? (historyView = new System.Collections.ObjectModel.ReadOnlyCollection<EpochRecord>(history.ToArray()));
            }
        }

        /// <summary>Forgets the training history.</summary>
        public void ClearHistory()
        {
            lock (history) { history.Clear(); historyView = null; }
        }

        internal void AppendHistory(EpochRecord record)
        {
            lock (history) { history.Add(record); historyView = null; }
        }

        internal void SetHistory(IEnumerable<EpochRecord> records)
        {
            lock (history) { history.Clear(); history.AddRange(records); historyView = null; }
        }

        /// <summary>True while a training run owns the network.</summary>
        public bool IsTraining
        {
            get { lock (mutationLock) return training; }
        }

        /// <summary>Runs a change of the parameters under the network's lock.</summary>
        /// <exception cref="BackpropException">NetworkBusy: a training run owns the network.</exception>
        public void Mutate(Action change)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            lock (mutationLock)
            {
                if (training) throw Busy("changed");
                change();
            }
        }

        /// <summary>Claims the network for a training run.</summary>
        /// <exception cref="BackpropException">NetworkBusy: another run owns it.</exception>
        internal void BeginTraining()
        {
            lock (mutationLock)
            {
                if (training) throw Busy("trained");
                training = true;
            }
        }

        /// <summary>Releases the claim of <see cref="BeginTraining"/>.</summary>
        internal void EndTraining()
        {
            lock (mutationLock) training = false;
        }

        /// <summary>Puts back a snapshot and the version it was taken at: as if the change had not happened.</summary>
        internal void RollBack(IReadOnlyList<Tensor> snapshot, long version)
        {
            for (int p = 0; p < parameters.Length; p++) snapshot[p].CopyTo(parameters[p].Value);
            Version = version;
        }

        private BackpropException Busy(string what) =>
            new BackpropException(ErrorIds.NetworkBusy, ErrorKind.InvalidOperation, this,
                $"The network {Architecture} is being trained by another command, so it cannot be {what} now; wait until that training ends (or stop it).");
    }
}
