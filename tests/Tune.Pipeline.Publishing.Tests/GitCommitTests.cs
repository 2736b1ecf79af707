using System.Diagnostics;

namespace Tune.Pipeline.Publishing.Tests;

public sealed class GitCommitTests : IDisposable
{
    private const string Commit = "3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";
    private const string Other = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string relative, string content)
    {
        var path = _temp.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Read_LooseBranchRef_ReturnsItsCommitFromSubfolder()
    {
        Write("repo/.git/HEAD", "ref: refs/heads/main\n");
        Write("repo/.git/refs/heads/main", Commit + "\n");
        Directory.CreateDirectory(_temp.Combine("repo", "src", "deep"));

        Assert.Equal(Commit, GitCommit.Read(_temp.Combine("repo", "src", "deep")));
    }

    [Fact]
    public void Read_PackedBranchRef_ReturnsItsCommit()
    {
        Write("repo/.git/HEAD", "ref: refs/heads/feature/x\n");
        Write("repo/.git/packed-refs", $"# pack-refs with: peeled fully-peeled sorted\n{Other} refs/heads/main\n{Commit.ToUpperInvariant()} refs/heads/feature/x\n^{Other}\n");

        Assert.Equal(Commit, GitCommit.Read(_temp.Combine("repo")));
    }

    [Fact]
    public void Read_DetachedHead_ReturnsHeadItself()
    {
        Write("repo/.git/HEAD", Commit + "\n");

        Assert.Equal(Commit, GitCommit.Read(_temp.Combine("repo")));
    }

    [Fact]
    public void Read_LinkedWorktree_FollowsGitdirAndCommondir()
    {
        Write("main/.git/refs/heads/publish", Commit + "\n");
        Write("main/.git/worktrees/wt/HEAD", "ref: refs/heads/publish\n");
        Write("main/.git/worktrees/wt/commondir", "../..\n");
        Write("wt/.git", "gitdir: ../main/.git/worktrees/wt\n");

        Assert.Equal(Commit, GitCommit.Read(_temp.Combine("wt")));
    }

    [Fact]
    public void Read_UnbornBranch_ReturnsUnknown()
    {
        Write("repo/.git/HEAD", "ref: refs/heads/main\n");

        Assert.Equal(GitCommit.Unknown, GitCommit.Read(_temp.Combine("repo")));
    }

    [Fact]
    public void Read_NotARepository_ReturnsUnknown()
    {
        Assert.Equal(GitCommit.Unknown, GitCommit.Read(_temp.Path));
    }

    [Fact]
    public void Read_ThisRepository_AgreesWithGitRevParse()
    {
        var expected = RunGit("rev-parse HEAD");
        Assert.SkipWhen(expected is null, "git is not installed or this checkout is not a Git working tree.");

        Assert.Equal(expected, GitCommit.Read(TestPaths.RepositoryRoot));
    }

    private static string? RunGit(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = TestPaths.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
