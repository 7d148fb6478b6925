using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Ahod.Testing;

public static class AppModelExtensions
{
    /// <summary>
    /// Keeps the named resources and what they need to run: what they wait for, their parents and the connection
    /// strings they reference (databases, servers). Service references to removed services are dropped, so a caller
    /// sees that service as not deployed (the gateway answers 503 for its routes).
    /// </summary>
    public static void KeepOnly(this IDistributedApplicationBuilder builder, params string[] names)
    {
        var byName = builder.Resources.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        var keep = new HashSet<IResource>();
        var pending = new Stack<IResource>(names.Select(n => byName.TryGetValue(n, out var r) ? r : throw new ArgumentException($"No resource '{n}' in the app model.", nameof(names))));
        while (pending.TryPop(out var resource))
        {
            if (!keep.Add(resource))
            {
                continue;
            }

            var needs = resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource)
                .Concat(resource.Annotations.OfType<ResourceRelationshipAnnotation>().Select(r => r.Resource).Where(r => r is IResourceWithConnectionString or ParameterResource));
            if (resource is IResourceWithParent child)
            {
                needs = needs.Append(child.Parent);
            }

            foreach (var need in needs)
            {
                pending.Push(need);
            }
        }

        // Parameters cost nothing and may be referenced from callbacks we cannot see into.
        foreach (var removed in builder.Resources.Where(r => !keep.Contains(r) && r is not ParameterResource).ToList())
        {
            builder.Resources.Remove(removed);
        }

        foreach (var resource in builder.Resources)
        {
            var stale = resource.Annotations.Where(a => a switch
            {
                WaitAnnotation w => !builder.Resources.Contains(w.Resource),
                ResourceRelationshipAnnotation r => !builder.Resources.Contains(r.Resource),
                _ => false,
            }).ToList();
            foreach (var annotation in stale)
            {
                resource.Annotations.Remove(annotation);
            }

            // The endpoint callback WithReference added stays, but injects nothing for a removed service.
            foreach (var reference in resource.Annotations.OfType<EndpointReferenceAnnotation>().Where(a => !builder.Resources.Contains(a.Resource)))
            {
                reference.UseAllEndpoints = false;
                reference.EndpointNames.Clear();
            }
        }
    }
}
