using System.Management.Automation;

namespace BackpropModule.Tests.Infrastructure
{
    /// <summary>
    /// Reading module objects through PowerShell's own adapters. The tests do not reference the
    /// engine assembly: everything they see comes from the module as shipped in out/BackpropModule.
    /// </summary>
    public static class PS
    {
        /// <summary>Value of a property (adapted, note or script property).</summary>
        public static object Prop(object o, string name)
        {
            var p = PSObject.AsPSObject(o).Properties[name];
            if (p == null) throw new Xunit.Sdk.XunitException($"{TypeName(o)} has no property '{name}'.");
            var v = p.Value;
            return v is PSObject w ? w.BaseObject : v;
        }

        /// <summary>Property as a double.</summary>
        public static double Num(object o, string name) => System.Convert.ToDouble(Prop(o, name), System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Full .NET type name of the base object.</summary>
        public static string TypeName(object o) => (o is PSObject p ? p.BaseObject : o)?.GetType().FullName;

        /// <summary>Shape of a tensor ("RxC").</summary>
        public static string Shape(object tensor) => (string)Prop(tensor, "Shape");
    }
}
