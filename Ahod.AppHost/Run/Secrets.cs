using System.Security.Cryptography;
using System.Text.Json;

namespace Ahod.AppHost.Run;

/// <summary>Generated passwords, kept in <c>{state}/secrets.json</c> (mode 600) so data folders stay usable.</summary>
internal sealed class Secrets
{
    private readonly string _path;
    private readonly Dictionary<string, string> _values;
    private readonly Lock _gate = new();

    public Secrets(string stateDirectory)
    {
        _path = Path.Combine(stateDirectory, "secrets.json");
        _values = File.Exists(_path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_path)) ?? []
            : [];
    }

    public string GetOrCreate(string key)
    {
        lock (_gate)
        {
            if (!_values.TryGetValue(key, out var value))
            {
                // URL- and connection-string-safe alphabet, 160 bits.
                value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
                _values[key] = value;
                File.WriteAllText(_path, JsonSerializer.Serialize(_values, new JsonSerializerOptions { WriteIndented = true }));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            return value;
        }
    }
}
