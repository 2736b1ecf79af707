namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Specifies what a store does when a sweep is opened: create it, resume it, or whichever applies. Set with
/// <see cref="SweepOptions.OpenMode"/>; every <see cref="ISweepStore"/> decides it in the same write that creates the
/// sweep, so two controllers opening one name at once cannot both create it.
/// </summary>
public enum SweepOpenMode
{
    /// <summary>Creates the sweep when the store has none of that name, and resumes it otherwise. The library's default.</summary>
    CreateOrResume,

    /// <summary>Creates the sweep; a sweep of that name already in the store is refused with <see cref="SweepConflictException"/>.</summary>
    Create,

    /// <summary>Resumes the sweep; a store without a sweep of that name refuses with <see cref="SweepConflictException"/>.</summary>
    Resume,
}
