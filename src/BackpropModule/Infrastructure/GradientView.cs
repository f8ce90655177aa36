using System.Management.Automation;
using BackpropModule.Engine;

namespace BackpropModule.Infrastructure
{
    /// <summary>
    /// Gives a gradients object one property per gradient (<c>dW1</c>, <c>db1</c>, …) so that
    /// <c>$grad.dW1</c>, Get-Member and Export-Excel see them, whatever the depth of the network.
    /// </summary>
    public static class GradientView
    {
        /// <summary>Wraps gradients in a PSObject with a note property per gradient.</summary>
        public static PSObject Wrap(Gradients g)
        {
            var o = PSObject.AsPSObject(g);
            var ps = g.Network.Parameters;
            for (int i = 0; i < ps.Count; i++)
            {
                if (o.Properties[ps[i].GradientName] == null)
                    o.Properties.Add(new PSNoteProperty(ps[i].GradientName, g.GetByIndex(i)));
            }
            // dx1, da1, dz1, dx2, …: the intermediates tutorials print, under the names they use.
            foreach (string name in g.IntermediateNames)
                if (o.Properties[name] == null) o.Properties.Add(new PSNoteProperty(name, g[name]));
            return o;
        }
    }

    /// <summary>Gives a forward pass one property per value a tutorial names: x1, a1, z1, …, y and t.</summary>
    public static class ForwardPassView
    {
        /// <summary>Wraps a pass in a PSObject with a note property per value.</summary>
        public static PSObject Wrap(ForwardPass pass)
        {
            var o = PSObject.AsPSObject(pass);
            foreach (string name in pass.ValueNames)
                if (o.Properties[name] == null) o.Properties.Add(new PSNoteProperty(name, pass[name]));
            return o;
        }
    }
}
