import { resolve } from "node:path";

/** Where the scripts read the public data: DATA_DIR, else ../shared/data beside the project (the team's checkout). */
export const DATA_DIR = resolve(process.env.DATA_DIR ?? resolve(__dirname, "..", "..", "shared", "data"));
