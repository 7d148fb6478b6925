namespace Ahod.Redis.Tests;

public sealed class ConnectionStringTests
{
    [Fact]
    public void Aspire_style_string_with_every_supported_option()
    {
        var options = RedisConnectionOptions.Parse(
            "cache.internal:6380,user=svc,password=s3cr=t,ssl=false,abortConnect=false,defaultDatabase=3,connectTimeout=1500,name=payments");

        options.Host.ShouldBe("cache.internal");
        options.Port.ShouldBe(6380);
        options.User.ShouldBe("svc");
        options.Password.ShouldBe("s3cr=t");
        options.Ssl.ShouldBeFalse();
        options.DefaultDatabase.ShouldBe(3);
        options.ConnectTimeout.ShouldBe(TimeSpan.FromMilliseconds(1500));
        options.ClientName.ShouldBe("payments");
    }

    [Fact]
    public void Host_alone_uses_the_default_port()
    {
        var options = RedisConnectionOptions.Parse("localhost");

        options.Endpoint.ShouldBe("localhost:6379");
        options.Password.ShouldBeNull();
        options.DefaultDatabase.ShouldBe(0);
    }

    [Fact]
    public void Bracketed_ipv6_endpoint()
    {
        var options = RedisConnectionOptions.Parse("[::1]:7000,password=x");

        options.Host.ShouldBe("::1");
        options.Port.ShouldBe(7000);
        options.Endpoint.ShouldBe("[::1]:7000");
    }

    [Fact]
    public void Keys_are_case_insensitive_and_spaces_are_trimmed()
    {
        var options = RedisConnectionOptions.Parse(" localhost:1234 , Password = pw , SSL=True ");

        options.Port.ShouldBe(1234);
        options.Password.ShouldBe("pw");
        options.Ssl.ShouldBeTrue();
    }

    [Fact]
    public void ToString_hides_the_password()
    {
        RedisConnectionOptions.Parse("localhost:1,password=topsecret").ToString().ShouldNotContain("topsecret");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("password=x", "no endpoint")]
    [InlineData("localhost:notaport", "invalid port")]
    [InlineData("localhost:70000", "invalid port")]
    [InlineData("localhost:6379,ssl=maybe", "'ssl'")]
    [InlineData("localhost:6379,defaultDatabase=-1", "'defaultDatabase'")]
    [InlineData("localhost:6379,connectTimeout=soon", "'connectTimeout'")]
    [InlineData("localhost:6379,bogus=1", "unknown option 'bogus'")]
    [InlineData("localhost:6379,=1", "without a name")]
    [InlineData("a:1,b:2", "more than one endpoint")]
    [InlineData("::1:6379", "IPv6")]
    public void Garbage_is_a_FormatException_that_says_what_is_wrong(string input, string expected)
    {
        Should.Throw<FormatException>(() => RedisConnectionOptions.Parse(input)).Message.ShouldContain(expected);
    }
}
