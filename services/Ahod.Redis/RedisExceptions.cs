namespace Ahod.Redis;

/// <summary>Base type for every error this client raises, so callers can catch Redis failures in one place.</summary>
public class RedisException : Exception
{
    public RedisException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The server answered a command with an error reply (<c>-ERR ...</c>, <c>-WRONGTYPE ...</c>, ...).</summary>
public sealed class RedisServerException : RedisException
{
    public RedisServerException(string serverMessage, string? command = null)
        : base(command is null ? serverMessage : $"{serverMessage} (command: {command})")
    {
        ServerMessage = serverMessage;
        Command = command;
    }

    /// <summary>The error text exactly as the server sent it, e.g. <c>WRONGTYPE Operation against a key ...</c>.</summary>
    public string ServerMessage { get; }

    public string? Command { get; }

    /// <summary>The error prefix (<c>ERR</c>, <c>WRONGTYPE</c>, <c>NOSCRIPT</c>, ...), which is what code should branch on.</summary>
    public string ErrorCode => ServerMessage.Split(' ', 2)[0];
}

/// <summary>The connection could not be made, or broke while a request was waiting for its reply.</summary>
public class RedisConnectionException : RedisException
{
    public RedisConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when the command never reached the socket, so sending it again cannot run it twice.
    /// Only then does the client retry on its own; a command that was written may have been executed.
    /// </summary>
    internal bool CommandNotSent { get; init; }
}

/// <summary>AUTH was refused. Not retried in the background: a wrong password does not fix itself.</summary>
public sealed class RedisAuthenticationException : RedisConnectionException
{
    public RedisAuthenticationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The bytes from the server are not valid RESP; the connection is dropped because it cannot be resynchronised.</summary>
public sealed class RedisProtocolException : RedisException
{
    public RedisProtocolException(string message)
        : base(message)
    {
    }
}
