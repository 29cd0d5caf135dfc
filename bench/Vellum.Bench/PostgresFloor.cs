using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Vellum.Bench;

/// <summary>
/// What a user would pick instead of a ledger: PostgreSQL 15 holding a hash-chained append-only
/// table, in which each row stores SHA-256(previous hash ‖ contents). The harness starts its own
/// server (initdb, pg_ctl) in a scratch folder, listening on a Unix socket only, with the
/// defaults that make a commit durable (fsync and synchronous_commit on). When the harness runs
/// as root, the server runs as the unprivileged <c>postgres</c> user, since PostgreSQL refuses
/// to run as root.
/// </summary>
internal sealed class PostgresFloor : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string User = "bench";

    // One statement, so one transaction: the head row's lock orders the writers, and each new row
    // chains to the hash the previous writer left there. The lock is held until the commit is
    // durable, which is what a hash chain costs in a database with synchronous commit.
    private const string AppendSql = """
        WITH head AS (UPDATE chain_head SET seq = seq + 1, hash = sha256(hash || $1) WHERE id = 1 RETURNING seq, hash)
        INSERT INTO chain (seq, contents, hash) SELECT seq, $1, hash FROM head
        """;

    private readonly string _directory;
    private readonly string? _runAs;
    private readonly NpgsqlDataSource _dataSource;

    private PostgresFloor(string directory, string? runAs, NpgsqlDataSource dataSource)
    {
        _directory = directory;
        _runAs = runAs;
        _dataSource = dataSource;
    }

    /// <summary>Whether PostgreSQL 15's server binaries are installed where Debian puts them.</summary>
    public static bool IsInstalled => File.Exists(Path.Combine(BinDirectory, "initdb")) && File.Exists(Path.Combine(BinDirectory, "pg_ctl"));

    /// <summary>Creates a database cluster in <paramref name="directory"/>, starts it and creates the chained table.</summary>
    public static async Task<PostgresFloor> StartAsync(string directory, int maxClients)
    {
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        Directory.CreateDirectory(directory);
        if (runAs is not null)
        {
            await RunAsync("chown", null, "-R", runAs, directory);
        }

        var data = Path.Combine(directory, "data");
        await RunAsync(Path.Combine(BinDirectory, "initdb"), runAs, "-D", data, "-U", User, "--auth=trust", "--no-sync", "-E", "UTF8");
        var settings = string.Create(CultureInfo.InvariantCulture, $"-c listen_addresses='' -c unix_socket_directories='{directory}' -c max_connections={maxClients + 10} -c fsync=on -c synchronous_commit=on");
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), runAs, "-D", data, "-l", Path.Combine(directory, "server.log"), "-o", settings, "-w", "start");
        var builder = new NpgsqlConnectionStringBuilder { Host = directory, Username = User, Database = "postgres", MaxPoolSize = maxClients + 2, NoResetOnClose = true };
        var floor = new PostgresFloor(directory, runAs, NpgsqlDataSource.Create(builder));
        try
        {
            await floor.ExecuteAsync("""
                CREATE TABLE chain (seq bigint PRIMARY KEY, contents bytea NOT NULL, hash bytea NOT NULL);
                CREATE TABLE chain_head (id int PRIMARY KEY, seq bigint NOT NULL, hash bytea NOT NULL);
                INSERT INTO chain_head VALUES (1, 0, '\x0000000000000000000000000000000000000000000000000000000000000000');
                """);
            return floor;
        }
        catch
        {
            await floor.DisposeAsync();
            throw;
        }
    }

    /// <summary>Appends from <paramref name="clients"/> connections, each one row at a time, through the shared load runner.</summary>
    public async Task<LoadResult> RunAsync(int clients, byte[] contents, TimeSpan warmup, TimeSpan measure)
    {
        var connections = new List<NpgsqlConnection>();
        try
        {
            var operations = new List<Func<Task>>();
            for (var i = 0; i < clients; i++)
            {
                var connection = await _dataSource.OpenConnectionAsync();
                connections.Add(connection);
                var command = new NpgsqlCommand(AppendSql, connection) { Parameters = { new NpgsqlParameter { Value = contents } } };
                await command.PrepareAsync();
                operations.Add(async () =>
                {
                    var rows = await command.ExecuteNonQueryAsync();
                    Core.Invariant.Check(rows == 1, "each append inserts one chained row");
                });
            }

            return await LoadRunner.RunAsync(operations, warmup, measure);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Appends <paramref name="count"/> rows from <paramref name="clients"/> connections.</summary>
    public async Task AppendAsync(int clients, byte[] contents, int count)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(AppendSql, connection) { Parameters = { new NpgsqlParameter { Value = contents } } };
            while (Interlocked.Increment(ref next) < count)
            {
                await command.ExecuteNonQueryAsync();
            }
        }));
    }

    /// <summary>The table's bytes on disk (heap, index and TOAST) and its rows, after a checkpoint.</summary>
    public async Task<(long Bytes, long Rows)> TableSizeAsync()
    {
        await ExecuteAsync("CHECKPOINT");
        await using var command = _dataSource.CreateCommand("SELECT pg_total_relation_size('chain'), count(*) FROM chain");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Empties the table and restarts the chain, between measurements.</summary>
    public Task TruncateAsync() => ExecuteAsync("TRUNCATE chain; UPDATE chain_head SET seq = 0;");

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task RunAsync(string program, string? runAs, params string[] arguments)
    {
        var start = runAs is null ? new ProcessStartInfo(program) : new ProcessStartInfo("runuser", ["-u", runAs, "--", program]);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), _runAs, "-D", Path.Combine(_directory, "data"), "-m", "fast", "-w", "stop");
        Directory.Delete(_directory, recursive: true);
    }
}
