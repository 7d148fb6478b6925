using Ahod.Chat;
using Ahod.Chat.Data;
using Ahod.Chat.Hubs;
using Ahod.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddChat();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseHubConnectionRouting();
app.UseWebSockets();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApiDefaults();
app.MapChatEndpoints();

await app.MigrateChatDatabaseAsync();
app.Run();
