using Ahod.Gateway;
using Ahod.Gateway.Docs;
using Ahod.Gateway.Proxy;
using Ahod.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddJwtBearerDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseGateway();
app.MapDefaultEndpoints();
app.MapDocsEndpoints();
app.MapProxyEndpoints();
app.Run();
