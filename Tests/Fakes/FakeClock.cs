using Microsoft.Extensions.Time.Testing;

namespace PerfTools.Tests.Fakes;

/// <summary>Drives a <see cref="FakeTimeProvider"/> forward while code under test runs on it (STYLE habit 5).</summary>
internal static class FakeClock
{
    /// <summary>Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="task"/> ends, pausing
    /// briefly in real time after each step so continuations run before the clock moves on.</summary>
    /// <exception cref="TimeoutException">The task did not end within <paramref name="limit"/> of fake time.</exception>
    public static async Task<T> DriveAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step, TimeSpan limit)
    {
        TimeSpan advanced = TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            if (advanced >= limit)
            {
                throw new TimeoutException($"still running after {limit} of fake time");
            }

            await Task.Delay(1);
            time.Advance(step);
            advanced += step;
        }

        return await task;
    }
}
