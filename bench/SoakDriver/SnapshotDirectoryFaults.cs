using System.Diagnostics;

namespace SoakDriver;

/// <summary>
/// Makes the snapshot directory unusable two turns in three, each turn <see cref="SoakSettings.SnapshotFaultPeriod"/>:
/// <c>ok</c> (a directory), <c>file</c> (the directory replaced by a regular file: root ignores modes,
/// so chmod would not stop it), <c>full</c> (a 64 KB tmpfs mounted there and filled to the last byte;
/// skipped, and said, when mounting is not allowed). Always left as a plain directory, unmounted.
/// </summary>
internal sealed class SnapshotDirectoryFaults(string directory)
{
    private readonly Dictionary<string, int> _applied = new(StringComparer.Ordinal);
    private bool _mounted;

    /// <summary>Gets null when the tmpfs could be mounted, else why not (then <c>full</c> is skipped).</summary>
    public string? TmpfsUnavailable { get; private set; }

    /// <summary>Gets how many times each fault was applied.</summary>
    public IReadOnlyDictionary<string, int> Applied
    {
        get
        {
            lock (_applied)
            {
                return new Dictionary<string, int>(_applied, StringComparer.Ordinal);
            }
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        string[] turns = ["ok", "file", "full"];
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var turn = turns[i % turns.Length];
                if (turn == "full" && TmpfsUnavailable is not null)
                {
                    turn = "file";
                }

                Set(turn);
                await Task.Delay(SoakSettings.SnapshotFaultPeriod, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            Restore();
        }
    }

    /// <summary>Puts back a plain, empty-of-faults directory (unmounting the tmpfs).</summary>
    public void Restore()
    {
        Unmount();
        if (File.Exists(directory))
        {
            File.Delete(directory);
        }

        Directory.CreateDirectory(directory);
    }

    private void Set(string turn)
    {
        Restore();
        switch (turn)
        {
            case "file":
                Directory.Delete(directory, recursive: true);
                File.WriteAllText(directory, "not a directory\n");
                break;
            case "full":
                if (!Mount())
                {
                    turn = "file";
                    Set(turn);
                    return;
                }

                Fill();
                break;
        }

        if (turn != "ok")
        {
            lock (_applied)
            {
                _applied[turn] = _applied.GetValueOrDefault(turn) + 1;
            }
        }
    }

    private bool Mount()
    {
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "mc-soak-snapshots", directory);
        if (code != 0)
        {
            TmpfsUnavailable = $"mount -t tmpfs failed ({output.Trim()})";
            return false;
        }

        _mounted = true;
        return true;
    }

    private void Fill()
    {
        try
        {
            using var filler = new FileStream(Path.Join(directory, "filler"), FileMode.Create, FileAccess.Write);
            var block = new byte[4096];
            while (true)
            {
                filler.Write(block);
                filler.Flush();
            }
        }
        catch (IOException)
        {
            // No space left on device: full, as intended.
        }
    }

    private void Unmount()
    {
        if (!_mounted)
        {
            return;
        }

        for (var attempt = 0; attempt < 50; attempt++)
        {
            var (code, _) = Run("umount", directory);
            if (code == 0)
            {
                _mounted = false;
                return;
            }

            Thread.Sleep(100);
        }

        var (lazy, output) = Run("umount", "-l", directory);
        _mounted = lazy != 0;
        if (_mounted)
        {
            throw new IOException($"could not unmount the tmpfs at {directory}: {output}");
        }
    }

    private static (int Code, string Output) Run(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
