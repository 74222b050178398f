using System.Runtime.InteropServices;

namespace PerfTools.Shared.Http.Engine;

/// <summary>Linux's epoll, for <see cref="EventLoop"/>: the calls and constants of <c>sys/epoll.h</c>.</summary>
/// <remarks>x86-64 only: there <c>struct epoll_event</c> is packed (12 bytes); other architectures align it to 16.</remarks>
internal static class Epoll
{
    public const int CtlAdd = 1;
    public const int CtlDel = 2;
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Err = 0x008;
    public const uint Hup = 0x010;
    public const uint RdHup = 0x2000;
    public const uint EdgeTriggered = 1u << 31;
    private const int CloseOnExec = 0x80000;

    /// <summary>Whether this process can use it: Linux on x86-64.</summary>
    public static bool Available => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>A new epoll instance (close-on-exec).</summary>
    /// <exception cref="IOException">The kernel refused one (out of file descriptors).</exception>
    public static int Create()
    {
        int fd = epoll_create1(CloseOnExec);
        return fd >= 0 ? fd : throw new IOException($"epoll_create1 failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>Watches <paramref name="fd"/> for <paramref name="events"/>, reporting <paramref name="data"/> with them.</summary>
    /// <returns>0, or the errno.</returns>
    public static int Add(int epfd, int fd, uint events, ulong data)
    {
        var ev = new Event { Events = events, Data = data };
        return epoll_ctl(epfd, CtlAdd, fd, ref ev) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for events; the count (0 on timeout or a signal).</summary>
    public static int Wait(int epfd, Event[] events, int timeoutMs)
    {
        int n = epoll_wait(epfd, events, events.Length, timeoutMs);
        return n >= 0 ? n : 0; // EINTR: a signal (the runtime's own); the caller loops
    }

    public static void Close(int fd) => _ = close(fd);

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    public struct Event
    {
        public uint Events;
        public ulong Data;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epfd, int op, int fd, ref Event ev);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epfd, [Out] Event[] events, int maxEvents, int timeoutMs);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
