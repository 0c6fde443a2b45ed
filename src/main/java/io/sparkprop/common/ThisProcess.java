package io.sparkprop.common;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This process as files left by a writer name it, so that a later process can tell whether that
 * writer is still running: the host and the pid.
 */
public final class ThisProcess {
  /** This machine's name, with anything but letters, digits, '.' and '-' made '-'. */
  public static final String HOST = hostName();

  public static final long PID = ProcessHandle.current().pid();

  private ThisProcess() {}

  /** Whether a process on {@code host} with {@code pid} is known to have ended. */
  public static boolean hasEnded(String host, long pid) {
    return HOST.equals(host) && ProcessHandle.of(pid).isEmpty();
  }

  private static String hostName() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      name = "localhost";
    }
    return name.replaceAll("[^A-Za-z0-9.-]", "-");
  }
}
