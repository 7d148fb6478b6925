using Ahod.Chat.Conversations;
using Ahod.Chat.Data;
using Ahod.Chat.Events;
using Ahod.Chat.Gdpr;
using Ahod.Chat.Hubs;
using Ahod.Chat.Notifications;
using Ahod.Messaging;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.ServiceDefaults.Data;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using StackExchange.Redis;

namespace Ahod.Chat;

public static class ChatExtensions
{
    public const string DatabaseName = "chatdb";
    public const string RedisName = "redis";

    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddJwtBearerDefaults();
        builder.AddOpenApiDefaults("Ahod Chat", "Conversations (direct, about a listing, per community) and their messages, read receipts and " +
            "unread counts, and the notification inbox. Live delivery, typing and presence go over the SignalR hub at /hubs/chat " +
            "(the access token as the access_token query parameter).");
        services.AddHubAccessTokenFromQuery();

        builder.AddNpgsqlDataSource(DatabaseName, settings => settings.ConnectionString = NpgsqlHotPath.ConnectionString(settings.ConnectionString));
        services.AddSingleton<AfterCommitInterceptor>();
        // The options are built once (singleton), not for every context: each hub call and request gets a new context, and
        // building its options (provider, warnings, interceptors) was a tenth of Chat's CPU under load.
        services.AddDbContext<ChatDbContext>((sp, options) => ConfigureDbContext(options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .AddOutboxSignal(sp)
            .AddInterceptors(sp.GetRequiredService<AfterCommitInterceptor>())), optionsLifetime: ServiceLifetime.Singleton);
        builder.AddRabbitMQConnection("rabbitmq");

        services.AddSignalR(options => options.EnableDetailedErrors = false)
            // The backplane: a push for a user reaches the replica holding their connection.
            .AddStackExchangeRedis(builder.Configuration.GetConnectionString(RedisName) ?? "", options =>
                options.Configuration.ChannelPrefix = RedisChannel.Literal("ahod-chat"));
        services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();
        services.AddHubConnectionRouting();

        services.AddValidation();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.SectionName);
        services.AddSingleton<Presence>();
        services.AddHostedService<PresenceRefresher>();
        services.AddScoped<ConversationStore>();
        services.AddScoped<MessageSender>();
        services.AddScoped<NotificationWriter>();
        services.AddHttpClient<PaymentsClient>(http => http.BaseAddress = new Uri("http://payments")).AddInternalApiKey();

        services.AddOutboxRelay<ChatDbContext>();
        services.AddIntegrationEventHandler<UserRegistered, UserProfileHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<UserUpdated, UserProfileHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<UserErased, UserErasedHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<CommunityCreated, CommunityMembershipHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<CommunityMemberJoined, CommunityMembershipHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<CommunityMemberLeft, CommunityMembershipHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<CommunityContributionDue, SavingsNotificationsHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<CommunityPayoutMade, SavingsNotificationsHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<ListingRequestCreated, ListingRequestHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<ListingRequestUpdated, ListingRequestHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<PaymentTransferPosted, PaymentNotificationsHandler, ChatDbContext>();
        services.AddIntegrationEventHandler<PaymentHoldReleased, PaymentNotificationsHandler, ChatDbContext>();
        return builder;
    }

    /// <summary>
    /// Browsers cannot set headers on a WebSocket, so SignalR clients send the token as <c>access_token</c> in the query.
    /// Taken only on the hub's path (a token in a URL elsewhere would end up in logs), then validated by the same
    /// JWT setup as every other request (AddJwtBearerDefaults), whose own events run as before.
    /// </summary>
    public static IServiceCollection AddHubAccessTokenFromQuery(this IServiceCollection services)
    {
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.Events ??= new JwtBearerEvents();
            var inner = options.Events.OnMessageReceived;
            options.Events.OnMessageReceived = async context =>
            {
                if (context.HttpContext.Request.Path.StartsWithSegments(ChatHub.Path) &&
                    context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                {
                    context.Token = token;
                }

                await inner(context);
            };
        });
        return services;
    }

    /// <summary>As the service configures its DbContext; tests build theirs with the same options.</summary>
    public static DbContextOptionsBuilder ConfigureDbContext(DbContextOptionsBuilder options) => options;

    public static WebApplication MapChatEndpoints(this WebApplication app)
    {
        app.MapConversationsEndpoints();
        app.MapNotificationsEndpoints();
        app.MapGdprEndpoints();
        // Stateful reconnect: a client that drops for a moment resumes its connection (on whichever replica holds it) and gets what it missed.
        app.MapHub<ChatHub>(ChatHub.Path, options => options.AllowStatefulReconnects = true);
        return app;
    }
}
