namespace Leadline.Voice;

/// <summary>
/// How a call to the business line is handled (seed 004 "Smart Business Hours"): in the day the owner's phone rings
/// first; in the evening and at night the caller hears the message and gets the text-back at once.
/// </summary>
public enum MissedCallMode
{
    Day,
    Evening,
    Night,
}
