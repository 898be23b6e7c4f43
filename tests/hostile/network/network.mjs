// Tries to reach this machine through the Docker bridge's gateway, and lists its network interfaces.
// The tests listen at HOST:PORT and point these two constants at their listener.
import net from "node:net";
import os from "node:os";

const [HOST, PORT] = ["172.17.0.1", 47999];

console.log(`[0.0s] interfaces: ${Object.keys(os.networkInterfaces()).sort().join(" ")}`);
const outcome = await new Promise((resolve) => {
  const socket = net.connect({ host: HOST, port: PORT, timeout: 2000 });
  socket.on("connect", () => { socket.destroy(); resolve("reached"); });
  socket.on("timeout", () => { socket.destroy(); resolve("blocked (timed out)"); });
  socket.on("error", (error) => resolve(`blocked (${error.code})`));
});
console.log(`[0.0s] connect: ${outcome}`);
