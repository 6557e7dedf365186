/** Opens a view, with its argument (a saga's id, a stream's id), through the URL's hash. */
export const go = (view, arg = '') => {
  location.hash = arg ? `${view}/${encodeURIComponent(arg)}` : view;
};
