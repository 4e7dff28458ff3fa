package io.securetx.adapter.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A real SMTP server on a free loopback port, speaking just enough SMTP (greeting, EHLO/HELO,
 * STARTTLS, AUTH refused, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for a client to deliver a message,
 * with a script that can replace any reply: a 421 greeting on the first connection, a 550 to RCPT,
 * or silence. Replies starting with 421 close the connection, as real servers do.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

  /** What the script returns to stop answering, so the client's read timeout fires. */
  public static final String SILENCE = "<silence>";

  /** Replaces replies. */
  @FunctionalInterface
  public interface Script {
    /**
     * The reply to send instead of the default.
     *
     * @param connection the connection number, 1 for the first
     * @param command the command verb in upper case ({@code MAIL}, {@code RCPT}, ...), {@code
     *     CONNECT} for the greeting, {@code .} for the end of the data
     * @return the reply line(s), {@link #SILENCE}, or null for the default
     */
    @Nullable String reply(int connection, String command);
  }

  /** A message the server accepted. */
  public record Delivered(String from, List<String> to, String data, boolean overTls) {}

  private final ServerSocket socket;
  private final Script script;
  private final @Nullable SSLContext tls;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private ScriptedSmtpServer(Script script, @Nullable SSLContext tls, InetAddress bind)
      throws IOException {
    this.socket = new ServerSocket(0, 50, bind);
    this.script = script;
    this.tls = tls;
    this.acceptor = new Thread(this::acceptLoop, "scripted-smtp-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a server without STARTTLS.
   *
   * @param script the replies to change
   * @return the running server
   */
  public static ScriptedSmtpServer start(Script script) throws IOException {
    return new ScriptedSmtpServer(script, null, InetAddress.getLoopbackAddress());
  }

  /**
   * Starts a server that offers STARTTLS with the given context.
   *
   * @param script the replies to change
   * @param tls the server's TLS context
   * @return the running server
   */
  public static ScriptedSmtpServer startWithStartTls(Script script, SSLContext tls)
      throws IOException {
    return startWithStartTls(script, tls, InetAddress.getLoopbackAddress());
  }

  /**
   * Starts a server that offers STARTTLS, on another loopback address.
   *
   * @param script the replies to change
   * @param tls the server's TLS context
   * @param bind a loopback address such as 127.0.0.2
   * @return the running server
   */
  public static ScriptedSmtpServer startWithStartTls(
      Script script, SSLContext tls, InetAddress bind) throws IOException {
    if (!bind.isLoopbackAddress()) {
      throw new IllegalArgumentException("test servers listen on loopback addresses only");
    }
    return new ScriptedSmtpServer(script, tls, bind);
  }

  /** The port, on the loopback address it was started on (127.0.0.1 unless told otherwise). */
  public int port() {
    return socket.getLocalPort();
  }

  /** How many connections were accepted. */
  public int connections() {
    return connections.get();
  }

  /** Every command received, as sent, in order. */
  public List<String> commands() {
    return List.copyOf(commands);
  }

  /** The accepted messages. */
  public List<Delivered> delivered() {
    return List.copyOf(delivered);
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        int number = connections.incrementAndGet();
        open.add(client);
        Thread handler = new Thread(() -> serve(client, number), "scripted-smtp-" + number);
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client, int connection) {
    try (Socket s = client) {
      s.setSoTimeout(15_000);
      new Session(s, connection).run();
    } catch (IOException e) {
      // The client went away or timed out; nothing to record.
    }
  }

  private final class Session {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final int connection;
    private boolean overTls;
    private @Nullable String from;
    private final List<String> to = new ArrayList<>();

    Session(Socket socket, int connection) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
      this.connection = connection;
    }

    void run() throws IOException {
      if (!reply("CONNECT", "220 localhost scripted ESMTP")) {
        return;
      }
      while (true) {
        String line = readLine();
        if (line == null) {
          return;
        }
        commands.add(line);
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        boolean goOn =
            switch (verb) {
              case "EHLO" -> reply(verb, ehlo());
              case "HELO", "RSET", "NOOP" -> reply(verb, "250 OK");
              case "STARTTLS" -> startTls();
              case "AUTH" -> reply(verb, "535 5.7.8 authentication failed");
              case "MAIL" -> {
                from = line.substring(line.indexOf(':') + 1).strip();
                to.clear();
                yield reply(verb, "250 2.1.0 sender OK");
              }
              case "RCPT" -> {
                String reply = scripted(verb, "250 2.1.5 recipient OK");
                if (reply.startsWith("250")) {
                  to.add(line.substring(line.indexOf(':') + 1).strip());
                }
                yield send(reply);
              }
              case "DATA" -> data();
              case "QUIT" -> {
                reply(verb, "221 2.0.0 bye");
                yield false;
              }
              default -> reply(verb, "502 5.5.2 command not recognised");
            };
        if (!goOn) {
          return;
        }
      }
    }

    private String ehlo() {
      StringBuilder lines = new StringBuilder("250-localhost\r\n");
      if (tls != null && !overTls) {
        lines.append("250-STARTTLS\r\n");
      }
      return lines.append("250 8BITMIME").toString();
    }

    private boolean startTls() throws IOException {
      if (tls == null || overTls) {
        return reply("STARTTLS", "502 5.5.1 STARTTLS not offered");
      }
      if (!reply("STARTTLS", "220 2.0.0 ready to start TLS")) {
        return false;
      }
      SSLSocket secured =
          (SSLSocket)
              tls.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
      secured.setUseClientMode(false);
      secured.startHandshake();
      socket = secured;
      in = secured.getInputStream();
      out = secured.getOutputStream();
      overTls = true;
      return true;
    }

    private boolean data() throws IOException {
      String go = scripted("DATA", "354 end data with <CR><LF>.<CR><LF>");
      if (!go.startsWith("354")) {
        return send(go);
      }
      if (!send(go)) {
        return false;
      }
      StringBuilder data = new StringBuilder();
      while (true) {
        String line = readLine();
        if (line == null) {
          return false;
        }
        if (line.equals(".")) {
          break;
        }
        data.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
      }
      String end = scripted(".", "250 2.0.0 queued");
      if (end.startsWith("250")) {
        delivered.add(
            new Delivered(String.valueOf(from), List.copyOf(to), data.toString(), overTls));
      }
      return send(end);
    }

    private String scripted(String verb, String fallback) {
      String replaced = script.reply(connection, verb);
      return replaced == null ? fallback : replaced;
    }

    private boolean reply(String verb, String fallback) throws IOException {
      return send(scripted(verb, fallback));
    }

    /** Sends a reply; false when the connection ends after it. */
    private boolean send(String reply) throws IOException {
      if (reply.equals(SILENCE)) {
        // Say nothing; drain until the client gives up.
        while (in.read() >= 0) {
          // discard
        }
        return false;
      }
      out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return !reply.startsWith("421");
    }

    private @Nullable String readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        int b;
        try {
          b = in.read();
        } catch (SocketException e) {
          return null;
        }
        if (b < 0) {
          return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }
        if (b == '\n') {
          String text = line.toString(StandardCharsets.ISO_8859_1);
          return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        line.write(b);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
