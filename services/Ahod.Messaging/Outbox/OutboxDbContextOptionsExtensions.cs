using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ahod.Messaging.Outbox;

public static class OutboxDbContextOptionsExtensions
{
    /// <summary>
    /// Lets the relay publish right after a commit that wrote events, instead of at its next poll:
    /// <c>services.AddDbContext&lt;T&gt;((sp, o) =&gt; o.UseNpgsql(..).AddOutboxSignal(sp))</c>.
    /// </summary>
    public static DbContextOptionsBuilder AddOutboxSignal(this DbContextOptionsBuilder options, IServiceProvider services) =>
        options.AddInterceptors(services.GetRequiredService<OutboxSignalInterceptor>());
}
