using Ahod.Chat;
using Ahod.Chat.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddChat();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseWebSockets();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi();
app.MapChatEndpoints();

await app.MigrateChatDatabaseAsync();
app.Run();
